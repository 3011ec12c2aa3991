package dev.exitrl.taskapi;

import java.util.List;

/**
 * Where an instance comes from and what grew out of it.
 *
 * @param instance             the instance asked about
 * @param ancestors            its parent chain, the root (depth-0 instance) first
 * @param descendants          its children, grandchildren, ... breadth-first (by generation, then id), capped
 * @param descendantsTruncated true when more descendants exist than were returned
 */
public record Lineage(Node instance, List<Node> ancestors, List<Node> descendants, boolean descendantsTruncated) {

    public record Node(
            long id, Long parentId, int depth, Double score, Double quality, boolean inBuffer, String createdBy) {}
}
