package dev.scalableapi.bench.drills;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scalableapi.bench.load.Outcome;
import dev.scalableapi.bench.stack.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every write the API acknowledged (201 with the new row's id), by the unique name the writer gave it, and the
 * check afterwards: each acknowledged row is in PostgreSQL with its name, and no name is in more than one row
 * (a retried create would duplicate it).
 */
public final class AckedWrites {

    /**
     * {@code lost}: acknowledged but missing or under another id; {@code duplicated}: names stored more than once;
     * {@code unreadable}: acknowledged (201) with a body that did not name the new row (checked by name only).
     */
    public record Check(long acknowledged, long lost, long duplicated, long unreadable, List<String> examples) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final long UNREAD = -1;

    private final Map<String, Long> idByName = new ConcurrentHashMap<>();
    private final List<String> unreadable = java.util.Collections.synchronizedList(new java.util.ArrayList<>());

    /** Records a 201 under the name the writer sent, with the id the answer gave (if it gave one). */
    public void accept(Outcome outcome) {
        if (outcome.status() != 201) {
            return;
        }
        String name;
        try {
            name = JSON.readTree(outcome.call().body()).get("name").asText();
        } catch (Exception e) {
            throw new IllegalStateException("the writer sent a body it cannot read back", e);
        }
        long id = UNREAD;
        try {
            JsonNode data = JSON.readTree(outcome.body()).get("data");
            if (data.get("name").asText().equals(name)) {
                id = data.get("id").asLong();
            }
        } catch (Exception notTheEnvelope) {
            // counted below
        }
        if (id == UNREAD) {
            unreadable.add(name + ": '" + (outcome.body() == null ? "" : outcome.body()) + "'");
        }
        idByName.put(name, id);
    }

    public int size() {
        return idByName.size();
    }

    /** Checks the writes acknowledged so far whose names start with {@code namePrefix}. */
    public Check verify(Database db, String namePrefix) throws SQLException {
        Map<String, Long> stored = new HashMap<>();
        long duplicated = 0;
        List<String> examples = new java.util.ArrayList<>();
        try (Connection c = db.connect(); PreparedStatement query = c.prepareStatement(
                "select name, min(id), count(*) from resources where name like ? group by name")) {
            query.setString(1, namePrefix + "%");
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    stored.put(rows.getString(1), rows.getLong(2));
                    if (rows.getLong(3) > 1) {
                        duplicated++;
                        if (examples.size() < 5) {
                            examples.add("duplicated: " + rows.getString(1) + " ×" + rows.getLong(3));
                        }
                    }
                }
            }
        }
        long acknowledged = 0;
        long lost = 0;
        for (var acked : idByName.entrySet()) {
            if (!acked.getKey().startsWith(namePrefix)) {
                continue;
            }
            acknowledged++;
            Long storedId = stored.get(acked.getKey());
            if (storedId == null || (acked.getValue() != UNREAD && !acked.getValue().equals(storedId))) {
                lost++;
                if (examples.size() < 5) {
                    examples.add("lost: " + acked.getKey() + " (acknowledged id " + acked.getValue() + ")");
                }
            }
        }
        List<String> odd = unreadable.stream().filter(u -> u.startsWith(namePrefix)).toList();
        odd.stream().limit(3).forEach(u -> examples.add("201 without the new row in its body: " + u));
        return new Check(acknowledged, lost, duplicated, odd.size(), examples);
    }
}
