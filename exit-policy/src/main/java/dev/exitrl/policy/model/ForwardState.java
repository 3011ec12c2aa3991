package dev.exitrl.policy.model;

import ai.djl.ndarray.NDArray;

/**
 * What every layer of one forward call shares: rotary rows, the additive attention mask and the cache.
 *
 * @param cos (B, S, 1, Dh) rotary cosines for the new positions
 * @param sin (B, S, 1, Dh) rotary sines
 * @param mask (B, 1, 1, S, T) additive mask: 0 where a query may attend, a large negative value elsewhere; a
 *     decode step (S = 1) may pass it as (B, 1, 1, T), which saves the reshapes around the softmax
 * @param cache the request's KV cache, or null for a cache-free (training / recompute) pass
 * @param cacheStart cache slot of the first new position
 * @param constants scalars created once per model, so no op builds a throwaway scalar array
 */
record ForwardState(NDArray cos, NDArray sin, NDArray mask, KvCache cache, int cacheStart, Constants constants) {

    /** () RMSNorm epsilon and () attention scale 1/sqrt(Dh), in the model's dtype on its device. */
    record Constants(NDArray eps, NDArray scale) {}
}
