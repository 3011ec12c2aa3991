package dev.exitrl.taskapi;

/**
 * What a results post did.
 *
 * @param received  rows in the post
 * @param inserted  new rows stored
 * @param unchanged rows that were already stored with the same values
 */
public record ResultsAppended(int received, int inserted, int unchanged) {}
