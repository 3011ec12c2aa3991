package dev.exitrl.policy;

import ai.djl.Device;
import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDResource;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Live arrays per manager, by device: the tool for finding what holds memory. DJL frees an array only when it is
 * closed or its manager closes, so an array attached to a long-lived manager (the model's, a request's) lives on
 * after its op; a census taken during or after a call shows which manager holds how many arrays and bytes.
 *
 * <p>Bytes are element count times element size for each array handle; a view (a slice of the KV cache, a
 * reshape) counts as much as the data it sees, so the figure is an upper bound where views are alive. DJL exposes
 * a manager's arrays only recursively ({@code getManagedArrays}); the per-manager split reads its
 * {@code resources} map by reflection and falls back to one entry for the whole tree when that is not possible.
 *
 * @param managers one entry per manager of the tree (depth-first, the root first); empty managers included
 */
public record MemoryCensus(List<Entry> managers) {

    /**
     * One manager's own arrays (not its sub-managers').
     *
     * @param path manager names from the root, joined by {@code /}
     * @param device the manager's device
     * @param arrays live arrays attached directly to this manager
     * @param bytes their size
     */
    public record Entry(String path, Device device, int arrays, long bytes) {}

    public MemoryCensus {
        managers = List.copyOf(managers);
    }

    private static final Field RESOURCES = resourcesField();

    /** Every live array of the engine: the system manager's tree holds every manager. */
    public static MemoryCensus engine() {
        try (NDManager probe = NDManager.newBaseManager()) {
            return of(probe.getParentManager());
        }
    }

    /** The census of {@code root} and every manager below it. */
    public static MemoryCensus of(NDManager root) {
        List<Entry> out = new ArrayList<>();
        walk(root, root.getName() == null ? "root" : root.getName(), out);
        return new MemoryCensus(out);
    }

    private static void walk(NDManager manager, String path, List<Entry> out) {
        Map<?, ?> resources = resources(manager);
        if (resources == null) {
            List<NDArray> all = manager.getManagedArrays();
            out.add(new Entry(path + " (whole tree)", manager.getDevice(), all.size(), bytes(all)));
            return;
        }
        int arrays = 0;
        long bytes = 0;
        List<NDManager> children = new ArrayList<>();
        for (Object resource : resources.values()) {
            if (resource instanceof NDArray array) {
                if (array.isReleased()) {
                    continue;
                }
                arrays++;
                bytes += bytes(array);
            } else if (resource instanceof NDManager child) {
                children.add(child);
            } else if (resource instanceof NDResource other) { // an NDList or a block's parameters
                List<NDArray> held = other.getResourceNDArrays();
                arrays += held.size();
                bytes += bytes(held);
            }
        }
        out.add(new Entry(path, manager.getDevice(), arrays, bytes));
        for (NDManager child : children) {
            walk(child, path + "/" + (child.getName() == null ? "sub" : child.getName()), out);
        }
    }

    private static Map<?, ?> resources(NDManager manager) {
        if (RESOURCES == null || !(manager instanceof BaseNDManager)) {
            return null;
        }
        try {
            return (Map<?, ?>) RESOURCES.get(manager);
        } catch (IllegalAccessException e) {
            return null;
        }
    }

    private static Field resourcesField() {
        try {
            Field f = BaseNDManager.class.getDeclaredField("resources");
            f.setAccessible(true);
            return f;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null; // another DJL version: the census reports whole trees instead
        }
    }

    private static long bytes(List<NDArray> arrays) {
        long sum = 0;
        for (NDArray a : arrays) {
            sum += bytes(a);
        }
        return sum;
    }

    private static long bytes(NDArray a) {
        return a.size() * a.getDataType().getNumOfBytes();
    }

    /** Live arrays in the whole tree. */
    public int arrays() {
        return managers.stream().mapToInt(Entry::arrays).sum();
    }

    /** Bytes of the live arrays in the whole tree. */
    public long bytes() {
        return managers.stream().mapToLong(Entry::bytes).sum();
    }

    /** Bytes of the live arrays on one device. */
    public long bytes(Device device) {
        return managers.stream()
                .filter(e -> e.device().equals(device))
                .mapToLong(Entry::bytes)
                .sum();
    }

    /** The non-empty managers as text lines: path, device, arrays, MB. */
    public String table() {
        StringBuilder sb = new StringBuilder();
        for (Entry e : managers) {
            if (e.arrays() > 0) {
                sb.append(String.format(
                        "%-60s %-8s %6d arrays %10.1f MB%n", e.path(), e.device(), e.arrays(), e.bytes() / 1048576.0));
            }
        }
        return sb.toString();
    }
}
