package dev.exitrl.trainer.checkpoint;

import java.net.URI;
import java.util.UUID;

/** Where workers download a version: {@code {exit.trainer.public-url}/api/trainer/experiments/{E}/checkpoints/{v}}. */
public final class CheckpointUris {

    private CheckpointUris() {}

    public static URI of(URI publicUrl, UUID experiment, long version) {
        String base = publicUrl.toString().replaceAll("/+$", "");
        return URI.create(base + "/api/trainer/experiments/" + experiment + "/checkpoints/" + version);
    }
}
