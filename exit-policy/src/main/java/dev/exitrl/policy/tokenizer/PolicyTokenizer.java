package dev.exitrl.policy.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Hugging Face {@code tokenizer.json} loaded through DJL's tokenizers binding (from a local file, never a hub
 * name). Encoding applies the file's post-processor (for example a leading BOS); truncation and padding are off
 * because the sampler and trainer pad themselves.
 */
public final class PolicyTokenizer implements AutoCloseable {

    static {
        TokenizerLibrary.preferCpuBuild(); // before DJL loads the native library: see TokenizerLibrary
    }

    private final HuggingFaceTokenizer tokenizer;
    private final Path file;
    private final ChatTemplate chatTemplate;

    private PolicyTokenizer(HuggingFaceTokenizer tokenizer, Path file, ChatTemplate chatTemplate) {
        this.tokenizer = tokenizer;
        this.file = file;
        this.chatTemplate = chatTemplate;
    }

    /**
     * Loads {@code tokenizer.json} from a checkpoint directory or a file path, and the chat template of the
     * {@code tokenizer_config.json} beside it when there is one.
     */
    public static PolicyTokenizer load(Path dirOrFile) throws IOException {
        Path file = Files.isDirectory(dirOrFile) ? dirOrFile.resolve("tokenizer.json") : dirOrFile;
        if (!Files.isRegularFile(file)) {
            throw new IOException("tokenizer.json missing: " + file);
        }
        HuggingFaceTokenizer tok = HuggingFaceTokenizer.newInstance(
                file, Map.of("truncation", "false", "padding", "false", "addSpecialTokens", "true"));
        try {
            ChatTemplate template = ChatTemplate.load(file.getParent()).orElse(null);
            return new PolicyTokenizer(tok, file.toAbsolutePath(), template);
        } catch (IOException | RuntimeException e) {
            tok.close();
            throw e;
        }
    }

    /** Token ids of {@code text}, including the special tokens the post-processor adds. */
    public long[] encode(String text) {
        return tokenizer.encode(text, true, false).getIds();
    }

    /**
     * Token ids of a task prompt as the model sees it: with a chat template, the template's rendering of one user
     * message plus the assistant's opening, tokenised without added special tokens (the template writes them, as
     * transformers' {@code apply_chat_template} does); without one, {@link #encode} of the plain text.
     */
    public long[] encodePrompt(String userText) {
        if (chatTemplate == null) {
            return encode(userText);
        }
        return encodePlain(chatTemplate.renderUserPrompt(userText));
    }

    /**
     * Token ids of turns that continue a conversation after a generated assistant message, as the checkpoint's chat
     * template writes them ({@link ChatTemplate#continuation}), tokenised without added special tokens. Empty
     * without a template, or when the template cannot render the continuation.
     */
    public Optional<long[]> encodeContinuation(List<ChatTemplate.Message> turns, boolean messageEndedWithEos) {
        if (chatTemplate == null) {
            return Optional.empty();
        }
        return chatTemplate.continuation(turns, messageEndedWithEos).map(this::encodePlain);
    }

    /** The checkpoint's chat template, if it has one. */
    public Optional<ChatTemplate> chatTemplate() {
        return Optional.ofNullable(chatTemplate);
    }

    /** Token ids of {@code text} without special tokens (for a response appended to a prompt). */
    public long[] encodePlain(String text) {
        return tokenizer.encode(text, false, false).getIds();
    }

    /** Text of the ids with special tokens (BOS, EOS, PAD) left out. */
    public String decode(long[] ids) {
        return tokenizer.decode(ids, true);
    }

    /** Copies the source {@code tokenizer.json} (and {@code tokenizer_config.json}) into a checkpoint directory. */
    public void save(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path target = dir.resolve("tokenizer.json").toAbsolutePath();
        if (!target.equals(file)) {
            Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
            ChatTemplate.copy(file.getParent(), dir);
        }
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
