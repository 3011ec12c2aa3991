package dev.exitrl.policy.tokenizer;

/**
 * Makes DJL load the CPU build of the Hugging Face tokenizers native library, which ships inside its jar.
 *
 * <p>When DJL sees CUDA it picks a CUDA build of that library and downloads it; on a GPU machine without network
 * that fails ("Failed to load Huggingface native library") although tokenising never uses the GPU. DJL reads the
 * flavour from {@code RUST_FLAVOR} (environment first, then system property) before anything else, so setting the
 * system property to {@code cpu} before the first tokenizer loads is enough. A {@code RUST_FLAVOR} the user set, in
 * the environment or as a property, is left alone.
 */
final class TokenizerLibrary {

    static final String FLAVOR = "RUST_FLAVOR";

    private TokenizerLibrary() {}

    /** Sets {@code RUST_FLAVOR=cpu} unless the environment or a system property already chose a flavour. */
    static synchronized void preferCpuBuild() {
        if (flavor(System.getenv(FLAVOR), System.getProperty(FLAVOR)).equals("cpu")) {
            System.setProperty(FLAVOR, "cpu");
        }
    }

    /** The flavour DJL will use: the environment's, else the property's, else {@code cpu}. */
    static String flavor(String environment, String property) {
        if (environment != null && !environment.isBlank()) {
            return environment;
        }
        if (property != null && !property.isBlank()) {
            return property;
        }
        return "cpu";
    }
}
