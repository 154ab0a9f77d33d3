package diffbench.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class OutcomeTest {

    @ParameterizedTest
    @CsvSource({
            "ok, ok",
            "oom-at-load, OOM at load",
            "oom-in-warmup-1, OOM after warmup",
            "oom-in-warmup-3, OOM in 3rd warmup call",
            "oom-at-iteration-1, OOM after 1st iteration",
            "oom-at-iteration-2, OOM after 2nd iteration",
            "oom-at-iteration-12, OOM after 12th iteration",
            "oom-at-iteration-23, OOM after 23rd iteration",
            "error, error",
            "timeout, timeout",
            "compile-error, compile error"})
    void parsesIdsAndRendersDiffusersWording(String id, String label) {
        Outcome o = Outcome.parse(id);
        assertEquals(label, o.label());
        assertEquals(id, o.id(), "id round-trips");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "OOM", "oom-at-iteration-0", "oom-at-iteration-", "oom-in-warmup-x", "Ok"})
    void rejectsWhatTheHarnessNeverWrites(String id) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Outcome.parse(id));
        assertTrue(e.getMessage().contains("oom-at-iteration-N"), e.getMessage());
    }

    @Test
    void classifiesOom() {
        assertTrue(Outcome.parse("oom-in-warmup-2").isOom());
        assertTrue(Outcome.OOM_AT_LOAD.isOom());
        assertFalse(Outcome.ERROR.isOom());
        assertTrue(Outcome.OK.isOk());
    }
}
