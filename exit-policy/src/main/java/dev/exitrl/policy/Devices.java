package dev.exitrl.policy;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.DataType;

/** Resolves the {@code device} and {@code dtype} settings. */
public final class Devices {

    private Devices() {}

    /**
     * {@code cpu}, {@code gpu} (the first GPU; an error when there is none) or {@code auto} (a GPU when the engine
     * sees one). For {@code cpu} DJL is kept offline: the CPU libtorch is bundled, nothing is downloaded.
     */
    public static Device resolve(String setting) {
        String s = setting == null ? "auto" : setting.trim().toLowerCase();
        switch (s) {
            case "cpu" -> {
                if (System.getProperty("ai.djl.offline") == null) {
                    System.setProperty("ai.djl.offline", "true");
                }
                return Device.cpu();
            }
            case "gpu" -> {
                if (Engine.getEngine("PyTorch").getGpuCount() == 0) {
                    throw new IllegalArgumentException("device: gpu requested but the PyTorch engine sees no GPU");
                }
                return Device.gpu();
            }
            case "auto" -> {
                return Engine.getEngine("PyTorch").getGpuCount() > 0 ? Device.gpu() : Device.cpu();
            }
            default -> throw new IllegalArgumentException("device: '" + setting + "' is not one of auto, cpu, gpu");
        }
    }

    /** {@code fp32} (default) or {@code fp16} (GPU inference only; BF16 aborts DJL 0.36). */
    public static DataType dtype(String setting, Device device) {
        String s = setting == null ? "fp32" : setting.trim().toLowerCase();
        return switch (s) {
            case "fp32", "float32" -> DataType.FLOAT32;
            case "fp16", "float16" -> {
                if (!device.isGpu()) {
                    throw new IllegalArgumentException(
                            "dtype: fp16 is allowed on gpu only (CPU half matmuls are slow or missing)");
                }
                yield DataType.FLOAT16;
            }
            default -> throw new IllegalArgumentException("dtype: '" + setting + "' is not one of fp32, fp16");
        };
    }
}
