package dev.exitrl.policy.tokenizer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes a character-level {@code tokenizer.json} for a domain's character set, because DJL cannot train
 * tokenizers. Ids: 0 {@code <|bos|>}, 1 {@code <|eos|>}, 2 {@code <|pad|>}, 3 {@code <|unk|>}, then one id per
 * character in code-point order. It is a BPE model without merges (each character is its own token), no
 * pre-tokenizer (spaces are ordinary characters), a post-processor that prepends BOS, and a {@code Fuse} decoder
 * that joins characters without spaces.
 */
public final class CharVocabulary {

    public static final int BOS = 0;
    public static final int EOS = 1;
    public static final int PAD = 2;
    static final String[] SPECIAL = {"<|bos|>", "<|eos|>", "<|pad|>", "<|unk|>"};

    private CharVocabulary() {}

    /** Writes {@code tokenizer.json} into {@code dir}; returns the vocabulary size. */
    public static int write(Path dir, String characters) throws IOException {
        TreeSet<Integer> chars = new TreeSet<>();
        characters.codePoints().forEach(chars::add);
        if (chars.isEmpty()) {
            throw new IllegalArgumentException("characters: must hold at least one character");
        }
        Map<String, Integer> vocab = new LinkedHashMap<>();
        List<Map<String, Object>> added = new ArrayList<>();
        for (String s : SPECIAL) {
            added.add(Map.of(
                    "id",
                    vocab.size(),
                    "content",
                    s,
                    "single_word",
                    false,
                    "lstrip",
                    false,
                    "rstrip",
                    false,
                    "normalized",
                    false,
                    "special",
                    true));
            vocab.put(s, vocab.size());
        }
        for (int cp : chars) {
            vocab.putIfAbsent(new String(Character.toChars(cp)), vocab.size());
        }
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("type", "BPE");
        model.put("dropout", null);
        model.put("unk_token", "<|unk|>");
        model.put("continuing_subword_prefix", null);
        model.put("end_of_word_suffix", null);
        model.put("fuse_unk", false);
        model.put("byte_fallback", false);
        model.put("ignore_merges", false);
        model.put("vocab", vocab);
        model.put("merges", List.of());
        Map<String, Object> bos = Map.of("SpecialToken", Map.of("id", SPECIAL[BOS], "type_id", 0));
        Map<String, Object> seqA = Map.of("Sequence", Map.of("id", "A", "type_id", 0));
        Map<String, Object> seqB = Map.of("Sequence", Map.of("id", "B", "type_id", 1));
        Map<String, Object> post = new LinkedHashMap<>();
        post.put("type", "TemplateProcessing");
        post.put("single", List.of(bos, seqA));
        post.put("pair", List.of(bos, seqA, seqB));
        post.put(
                "special_tokens",
                Map.of(SPECIAL[BOS], Map.of("id", SPECIAL[BOS], "ids", List.of(BOS), "tokens", List.of(SPECIAL[BOS]))));
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("version", "1.0");
        root.put("truncation", null);
        root.put("padding", null);
        root.put("added_tokens", added);
        root.put("normalizer", null);
        root.put("pre_tokenizer", null);
        root.put("post_processor", post);
        root.put("decoder", Map.of("type", "Fuse"));
        root.put("model", model);
        Files.createDirectories(dir);
        Files.writeString(
                dir.resolve("tokenizer.json"),
                JsonMapper.builder().build().writerWithDefaultPrettyPrinter().writeValueAsString(root));
        return vocab.size();
    }
}
