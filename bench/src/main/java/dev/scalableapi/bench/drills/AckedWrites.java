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

    /** {@code lost}: acknowledged but missing or different; {@code duplicated}: names stored more than once. */
    public record Check(long acknowledged, long lost, long duplicated, List<String> examples) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Long> idByName = new ConcurrentHashMap<>();

    public void accept(Outcome outcome) {
        if (outcome.status() != 201 || outcome.body() == null) {
            return;
        }
        try {
            JsonNode data = JSON.readTree(outcome.body()).get("data");
            idByName.put(data.get("name").asText(), data.get("id").asLong());
        } catch (Exception unparseable) {
            idByName.put("unparseable acknowledged body: " + outcome.body(), -1L);
        }
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
            if (!acked.getKey().startsWith(namePrefix) && acked.getValue() >= 0) {
                continue;
            }
            acknowledged++;
            if (!acked.getValue().equals(stored.get(acked.getKey()))) {
                lost++;
                if (examples.size() < 5) {
                    examples.add("lost: " + acked.getKey() + " (id " + acked.getValue() + ")");
                }
            }
        }
        return new Check(acknowledged, lost, duplicated, examples);
    }
}
