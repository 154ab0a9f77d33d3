package diffbench.jmh;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * {@code --gpus=0,1,2,3}: the matrix spread over several cards of one box, one harness per card.
 * Each child runs every N-th cell ({@code --shard=i/N}) with CUDA_VISIBLE_DEVICES naming its card
 * (and CUDA_DEVICE_ORDER=PCI_BUS_ID, so an index means nvidia-smi's card), labels its rows with that
 * card, and merges into the card's results file under the file's lock; their output comes through
 * here, each line marked with its card.
 */
final class GpuShards {

    private GpuShards() {}

    /** Checks every card first (none runs if one is unknown); returns the highest exit status of the children. */
    static int run(List<String> gpus, String... args) {
        if (gpus.isEmpty() || gpus.stream().anyMatch(String::isBlank) || new HashSet<>(gpus).size() != gpus.size()) {
            HarnessMain.say("--gpus takes each card once, e.g. --gpus=0,1,2,3 (nvidia-smi's indexes or UUIDs)");
            return HarnessMain.USAGE;
        }
        List<String> names = new ArrayList<>();
        NvidiaSmi.Box box = NvidiaSmi.Box.ask();
        for (String id : gpus) {
            Optional<NvidiaSmi.Gpu> card;
            try {
                card = box.visible(id, "PCI_BUS_ID");
            } catch (NvidiaSmi.AmbiguousGpu e) {
                HarnessMain.say("--gpus: " + e.getMessage());
                return HarnessMain.USAGE;
            }
            if (card.isEmpty()) {
                HarnessMain.say("--gpus needs NVIDIA GPUs, and nvidia-smi sees none: leave --gpus out");
                return HarnessMain.USAGE;
            }
            names.add(id + ": " + card.get().name());
        }
        System.out.println("diffbench: one harness per card, each running 1 cell in " + gpus.size() + ": "
                + String.join(", ", names));
        List<Process> children = new CopyOnWriteArrayList<>(); // the shutdown hook reads it
        List<Thread> pumps = new ArrayList<>();
        Thread killOnExit = new Thread(() -> children.forEach(GpuShards::kill));
        Runtime.getRuntime().addShutdownHook(killOnExit);
        try {
            for (int i = 0; i < gpus.size(); i++) {
                ProcessBuilder child = new ProcessBuilder(childCommand(args, i, gpus.size())).redirectErrorStream(true);
                child.environment().put("CUDA_VISIBLE_DEVICES", gpus.get(i));
                child.environment().put("CUDA_DEVICE_ORDER", "PCI_BUS_ID");
                Process p = child.start();
                children.add(p);
                pumps.add(pump(p, "[gpu " + gpus.get(i) + "] ", System.out));
            }
            int worst = HarnessMain.OK;
            for (Process p : children) {
                worst = Math.max(worst, p.waitFor());
            }
            for (Thread t : pumps) {
                t.join();
            }
            return worst;
        } catch (IOException e) {
            HarnessMain.say("--gpus: cannot start a harness: " + e.getMessage());
            children.forEach(GpuShards::kill);
            return HarnessMain.USAGE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            children.forEach(GpuShards::kill);
            return HarnessMain.CELL_FAILED;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(killOnExit);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it kills the children
            }
        }
    }

    /**
     * This harness again, in a JVM started as this one was (its JVM options, and the engine and
     * diffbench properties set since), with the same options but --gpus, plus its shard.
     */
    static List<String> childCommand(String[] args, int shard, int shards) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path")));
        List<String> jvmOptions = ManagementFactory.getRuntimeMXBean().getInputArguments();
        cmd.addAll(jvmOptions);
        System.getProperties().stringPropertyNames().stream().sorted()
                .filter(k -> k.startsWith("ai.djl.") || k.startsWith("diffbench."))
                .map(k -> "-D" + k + "=" + System.getProperty(k))
                .filter(option -> !jvmOptions.contains(option)) // set since start (tests, embedding callers)
                .forEach(cmd::add);
        cmd.add(ParentWatch.childOption()); // last, over an inherited one: each card's harness watches this one
        cmd.add(HarnessMain.class.getName());
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--gpus")) {
                i++; // and its value
            } else if (!args[i].startsWith("--gpus=")) {
                cmd.add(args[i]);
            }
        }
        cmd.add("--shard=" + shard + "/" + shards);
        return cmd;
    }

    private static Thread pump(Process p, String mark, PrintStream to) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    to.println(mark + line);
                }
            } catch (IOException e) {
                to.println(mark + "(output lost: " + e.getMessage() + ")");
            }
        }, "diffbench-shard-output");
        t.start();
        return t;
    }

    private static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly); // its JMH fork on the GPU first
        p.destroyForcibly();
    }
}
