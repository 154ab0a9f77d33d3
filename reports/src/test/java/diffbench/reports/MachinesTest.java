package diffbench.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;

import diffbench.schema.Outcome;
import diffbench.schema.ResultColumn;
import diffbench.schema.ResultRow;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The page's "where the figures come from" lines: one per machine and software stack. */
class MachinesTest {

    @Test
    void eachStackIsNamedWithItsVersionsAndWhatItMeasured() {
        List<String> lines = GpuPageBuilder.machines(List.of(h200("9.10.2", "2026-11-26T10:00:00Z"),
                h200("", "2026-11-20T10:00:00Z")));
        assertEquals(List.of(
                "host gpu-box · Intel(R) Xeon(R) Platinum 8480C (16 CPUs) · NVIDIA H200 (143771 MiB) · driver 580.82.07 · CUDA 13.0 "
                        + "· cuDNN 9.10.2 · DJL 0.36.0 · JVM OpenJDK 17 — 1 cell, measured 2026-11-26T10:00:00Z, commit abc1234",
                "host gpu-box · NVIDIA H200 (143771 MiB) · driver 580.82.07 · CUDA 13.0 · DJL 0.36.0 · JVM OpenJDK 17 — 1 cell, "
                        + "measured 2026-11-20T10:00:00Z, commit abc1234"), lines, "a row from before the columns names no cuDNN and no CPU");
    }

    private static ResultRow h200(String cudnn, String time) {
        return ResultRow.builder().set(ResultColumn.HOST, "gpu-box").set(ResultColumn.GPU_NAME, "NVIDIA H200")
                .set(ResultColumn.HOST_CPU, cudnn.isEmpty() ? "" : "Intel(R) Xeon(R) Platinum 8480C (16 CPUs)")
                .set(ResultColumn.GPU_MEMORY_MIB, 143771).set(ResultColumn.DRIVER, "580.82.07").set(ResultColumn.CUDA, "13.0")
                .set(ResultColumn.CUDNN, cudnn).set(ResultColumn.DJL, "0.36.0").set(ResultColumn.JVM, "OpenJDK 17")
                .set(ResultColumn.DEVICE, "gpu").set(ResultColumn.TIME, time)
                .set(ResultColumn.GIT_COMMIT, "abc1234").outcome(Outcome.OK).build();
    }
}
