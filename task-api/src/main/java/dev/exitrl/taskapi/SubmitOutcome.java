package dev.exitrl.taskapi;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * What a submit did.
 *
 * @param groupId         the stored group
 * @param instanceId      the rolled-out (parent) instance
 * @param score           its fresh learnability score S (variance of the group's rewards)
 * @param parent          what happened to the parent in the buffer (added, replaced-min, rejected, already-stored,
 *                        or not-buffered when the preset keeps no buffer)
 * @param childrenOffered children offered to the buffer (inheriting S)
 * @param childrenAdded   children that entered the buffer
 * @param bufferSize      buffer size after the submit
 * @param replay          true when this answer is the stored one of an earlier submit with the same key
 */
public record SubmitOutcome(
        @Schema(example = "1") long groupId,
        @Schema(example = "42") long instanceId,
        @Schema(example = "0.1522") double score,
        @Schema(example = "added") String parent,
        @Schema(example = "4") int childrenOffered,
        @Schema(example = "4") int childrenAdded,
        @Schema(example = "5") int bufferSize,
        @Schema(example = "false") boolean replay) {

    public SubmitOutcome withGroup(long id) {
        return new SubmitOutcome(id, instanceId, score, parent, childrenOffered, childrenAdded, bufferSize, replay);
    }

    public SubmitOutcome asReplay() {
        return new SubmitOutcome(groupId, instanceId, score, parent, childrenOffered, childrenAdded, bufferSize, true);
    }
}
