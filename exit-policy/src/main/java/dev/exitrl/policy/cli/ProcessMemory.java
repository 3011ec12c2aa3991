package dev.exitrl.policy.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This process's resident memory from {@code /proc/self/status}: the CPU measure of what a run used. The peak
 * (VmHWM) can be reset through {@code /proc/self/clear_refs} (Linux 4.0+), so a benchmark measures the peak of the
 * timed run alone rather than of model loading before it.
 */
final class ProcessMemory {

    private ProcessMemory() {}

    /** Current resident set in MB, or -1 where /proc is missing. */
    static double rssMb() {
        return statusMb("VmRSS:");
    }

    /** Peak resident set in MB since start or the last {@link #resetPeak}, or -1 where /proc is missing. */
    static double peakRssMb() {
        return statusMb("VmHWM:");
    }

    /** Resets the peak to the current resident set; false where the kernel does not allow it. */
    static boolean resetPeak() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static double statusMb(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            // no /proc on this system: report -1 below
        }
        return -1;
    }
}
