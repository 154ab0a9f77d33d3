package diffbench.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import diffbench.schema.Outcome;
import diffbench.schema.ResultColumn;
import diffbench.schema.ResultRow;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The compiled mode's compile step shows beside its it/s where the run compiled, and in the start-up table always. */
class CompileTimeTest {

    private static ResultRow compiled(String cache, double compileSeconds) {
        return ResultRow.builder().set(ResultColumn.RUNTIME, "diffbench").set(ResultColumn.MODE, "compiled")
                .outcome(Outcome.OK).set(ResultColumn.ITS_MEAN, 91.8103).set(ResultColumn.LOAD_SECONDS, 1.5)
                .set(ResultColumn.WARMUP_SECONDS, 40.2).set(ResultColumn.WARMUP_CALLS, 2)
                .set(ResultColumn.COMPILER, "aotinductor").set(ResultColumn.COMPILER_OPTIONS, "default")
                .set(ResultColumn.COMPILE_SECONDS, compileSeconds).set(ResultColumn.COMPILE_CACHE, cache).build();
    }

    @Test
    void aCompileInThisRunStandsBesideTheItsPerSecond() {
        assertEquals("91.81 (compile 39 s)", CellText.its(Optional.of(compiled("miss", 38.94))).text());
        assertEquals("91.81", CellText.its(Optional.of(compiled("hit", 0))).text(), "a cache hit only loads");
        TableView.Cell startUp = CellText.startUp(Optional.of(compiled("hit+miss", 12.3)));
        assertEquals("1.5 + 40 (compile 12 s)", startUp.text());
        assertTrue(startUp.title().endsWith("aotinductor default packages: hit+miss, compiling 12 s of the warm-up"), startUp.title());
        assertEquals("1.5 + 40 (cached)", CellText.startUp(Optional.of(compiled("folder", 0))).text());
    }
}
