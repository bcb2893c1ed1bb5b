package dev.scalableapi.deploy.chart;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marcnuri.helm.LintResult;
import dev.scalableapi.deploy.support.ChartUnderTest;
import org.junit.jupiter.api.Test;

class ChartLintTest {

    @Test
    void lintStrictIsClean() {
        LintResult lint = ChartUnderTest.lint();
        assertFalse(lint.isFailed(), String.join("\n", lint.getMessages()));
        assertTrue(lint.getMessages().stream().noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]")),
                String.join("\n", lint.getMessages()));
    }
}
