package dev.exitrl.policy.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.exitrl.policy.model.CausalLm;
import dev.exitrl.policy.model.KvCache;
import dev.exitrl.policy.model.ModelConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Continuous batching for rollouts: S = {@link SamplingParams#maxBatch} slots decode together, and when a row
 * finishes (EOS, stop string, length) the next waiting prompt takes its slot, so a batch no longer runs until its
 * longest row ends. RL responses vary a lot in length, and with static batching every row waits for the longest.
 *
 * <p>Fixed shapes: the KV cache is one ring of C = Pmax + N + k slots per row, shared by all rows; every step writes
 * all rows' new keys at the same ring slot w and attends over the whole ring with a per-row (S, 1, 1, C) mask. Since
 * rotary positions are applied to keys before they are cached, attention does not care where in the ring a key
 * sits. A new prompt is prefilled on its own (with the other prompts taking a slot at the same sync), its keys copied
 * into its slot's ring range ending just before w, and its mask row reset to show only those slots; each step then
 * opens column w for every row. A row's history spans at most its padded prompt + N + k - 1 slots < C, so the ring
 * never overwrites a live key of the row that writes it.
 *
 * <p>Host round trips happen only at a sync, every k = {@link SamplingParams#syncEvery} steps (ids and log-probs of
 * the window, then the refills). Slots freed at a sync run idle (their outputs ignored) when no prompt waits.
 *
 * <p>Deviation from the static path, on purpose: random draws. Each prompt gets its own stream,
 * {@code SplittableRandom(seed).split()} taken in prompt order, so a prompt's draws do not depend on which slot or
 * step it lands in; outputs for a seed are reproducible but differ from the static batch's (whose draws are
 * step-major over rows). Greedy outputs are the same as a prompt generated alone (ContinuousBatcherTest).
 *
 * <p>Dimensions: S slots, M prompts, P padded prompt length of a refill group, N max new tokens, k sync interval,
 * C ring capacity, V vocabulary.
 */
final class ContinuousBatcher {

    /** Generations in prompt order and the batched decode steps it took. */
    record Result(List<Generation> generations, int decodeSteps) {}

    /** Runs decode step number {@code step} (counted over the request); tests wrap it to profile single steps. */
    interface StepRunner {
        void run(int step, Runnable work);
    }

    private final CausalLm model;
    private final Function<long[], String> decoder;
    private final StepRunner runner;

    ContinuousBatcher(CausalLm model, Function<long[], String> decoder) {
        this(model, decoder, (step, work) -> work.run());
    }

    ContinuousBatcher(CausalLm model, Function<long[], String> decoder, StepRunner runner) {
        this.model = model;
        this.decoder = decoder;
        this.runner = runner;
    }

    /** Ring capacity a request needs: longest prompt + N + k (a row runs up to k - 1 steps past its end). */
    static int capacity(int longestPrompt, SamplingParams params) {
        return longestPrompt + params.maxNewTokens() + params.syncEvery();
    }

    /** Runs the request; the caller checked that {@link #capacity} fits the rotary table. */
    Result generate(List<long[]> prompts, SamplingParams params) {
        ModelConfig config = model.config();
        int n = params.maxNewTokens();
        int k = params.syncEvery();
        int slots = params.maxBatch();
        int capacity = capacity(PromptBatch.validate(prompts, config, n), params);
        State state = new State(
                prompts,
                params,
                new StopTracker(prompts.size(), Generator.eosToStopAt(config, params), params.stopStrings(), decoder));
        DataType dtype = model.dtype();
        float masked = CausalLm.maskValue(dtype);
        try (NDManager gen = model.manager().newSubManager();
                KvCache ring = new KvCache(gen, config, slots, capacity, dtype)) {
            Device d = new Device(gen, ring, capacity, params, prompts.size(), dtype);
            int w = 0; // ring slot the next step writes
            int steps = 0;
            while (true) {
                refill(d, state, w, masked);
                if (state.active() == 0) {
                    break;
                }
                for (int s = 0; s < k; s++) {
                    int slot = w;
                    int inWindow = s;
                    runner.run(steps, () -> step(d, params, slot, inWindow));
                    w = (w + 1) % capacity;
                    steps++;
                }
                state.sync(d.windowIds.toLongArray(), d.windowLogProbs.toFloatArray(), k); // the sync
            }
            List<Generation> out = new ArrayList<>(prompts.size());
            for (int j = 0; j < prompts.size(); j++) {
                out.add(state.stops.generation(j, state.logProbs[j]));
            }
            return new Result(out, steps);
        }
    }

    /**
     * One batched decode step at ring slot w, the s-th of its window: same shapes at every step, nothing uploaded.
     * Per-slot state arrays are replaced by their successors each step; the old ones die with the step's scope.
     */
    private void step(Device d, SamplingParams params, int w, int s) {
        try (NDManager scope = d.manager.newSubManager()) {
            d.mask.set(new NDIndex("..., {}", w), d.zero); // every row writes its key at w: open the column
            d.last.attach(scope);
            d.positions.attach(scope);
            d.drawIndex.attach(scope);
            int slots = d.occupantCount;
            NDArray logits =
                    model.forward(d.last, d.positions, d.mask, d.ring, w, true).reshape(slots, -1); // (S, V)
            NDArray uniforms = null; // (S, 1)
            if (d.drawTable != null) {
                uniforms = d.drawTable.take(d.drawIndex); // lands in the table's manager: hand it to the step
                uniforms.attach(scope);
            }
            TokenSampler.Picked picked = TokenSampler.pick(logits, params, uniforms);
            d.windowIds.set(new NDIndex("{}", s), picked.ids());
            d.windowLogProbs.set(new NDIndex("{}", s), picked.logProbs());
            d.last = picked.ids(); // (S, 1)
            d.positions = d.positions.add(d.one); // (S, 1, 1), in the scope (positions' manager) until moved
            d.drawIndex = d.drawIndex.add(d.one); // (S, 1)
            d.last.attach(d.manager);
            d.positions.attach(d.manager);
            d.drawIndex.attach(d.manager);
        }
    }

    /** Prefills the next waiting prompts into the free slots, as often as first tokens already finish some. */
    private void refill(Device d, State state, int w, float masked) {
        while (true) {
            List<Integer> freeSlots = new ArrayList<>();
            for (int r = 0; r < state.occupant.length; r++) {
                if (state.occupant[r] < 0) {
                    freeSlots.add(r);
                }
            }
            int count = Math.min(freeSlots.size(), state.prompts.size() - state.next);
            if (count == 0) {
                return;
            }
            List<long[]> group = state.prompts.subList(state.next, state.next + count);
            PromptBatch batch = PromptBatch.of(group, model.config(), state.params.maxNewTokens(), masked);
            int p = batch.promptLen();
            try (NDManager scope = d.manager.newSubManager();
                    KvCache solo = new KvCache(scope, model.config(), count, p, model.dtype())) {
                NDArray ids = scope.create(batch.ids(), new Shape(count, p)); // (G, P)
                NDArray positions = scope.create(batch.positions(), new Shape(count, p)); // (G, P)
                NDArray mask = scope.create(batch.prefillMask(), new Shape(count, 1, 1, p, p))
                        .toType(model.dtype(), false); // (G, 1, 1, P, P)
                NDArray logits =
                        model.forward(ids, positions, mask, solo, 0, true).reshape(count, -1); // (G, V)
                NDArray uniforms = null; // (G, 1): each prompt's first draw
                if (!state.params.greedyDecoding()) {
                    float[] u = new float[count];
                    for (int i = 0; i < count; i++) {
                        u[i] = d.draws[(state.next + i) * state.params.maxNewTokens()];
                    }
                    uniforms = scope.create(u, new Shape(count, 1));
                }
                TokenSampler.Picked picked = TokenSampler.pick(logits, state.params, uniforms);
                long[] first = picked.ids().toLongArray(); // a host round trip, at a sync only
                float[] firstLp = picked.logProbs().toFloatArray();
                int ringStart = Math.floorMod(w - p, d.capacity);
                for (int i = 0; i < count; i++) {
                    int r = freeSlots.get(i);
                    int j = state.next + i;
                    d.ring.copyRow(solo, i, 0, r, ringStart, p);
                    float[] row = new float[d.capacity]; // (C): hidden but for this prompt's real tokens
                    Arrays.fill(row, masked);
                    for (int c = 0; c < p; c++) {
                        if (batch.keyMask()[i * batch.capacity() + c] == 0) {
                            row[(ringStart + c) % d.capacity] = 0;
                        }
                    }
                    d.mask.set(
                            new NDIndex("{}", r),
                            scope.create(row, new Shape(1, 1, d.capacity)).toType(model.dtype(), false));
                    d.positions.set(
                            new NDIndex("{}", r), scope.create(new long[] {batch.lengths()[i]}, new Shape(1, 1)));
                    d.drawIndex.set(
                            new NDIndex("{}", r),
                            scope.create(new long[] {(long) j * state.params.maxNewTokens() + 1}, new Shape(1)));
                    d.last.set(new NDIndex("{}", r), scope.create(new long[] {first[i]}, new Shape(1)));
                    state.start(r, j, first[i], firstLp[i]);
                }
                state.next += count;
            }
        }
    }

    /** Host-side bookkeeping: which prompt sits in which slot, per-prompt tokens and log-probs. */
    private static final class State {
        final List<long[]> prompts;
        final SamplingParams params;
        final StopTracker stops;
        final int[] occupant; // (S) prompt index per slot, -1 when free
        final float[][] logProbs; // (M, N)
        int next; // first prompt not yet started

        State(List<long[]> prompts, SamplingParams params, StopTracker stops) {
            this.prompts = prompts;
            this.params = params;
            this.stops = stops;
            this.occupant = new int[params.maxBatch()];
            Arrays.fill(occupant, -1);
            this.logProbs = new float[prompts.size()][params.maxNewTokens()];
        }

        int active() {
            int a = 0;
            for (int j : occupant) {
                a += j >= 0 ? 1 : 0;
            }
            return a;
        }

        /** Records prompt j's first token in slot r; frees the slot at once if that token ends it. */
        void start(int r, int j, long id, float logProb) {
            occupant[r] = j;
            record(r, id, logProb);
        }

        private void record(int r, long id, float logProb) {
            int j = occupant[r];
            stops.accept(j, id);
            int count = stops.count(j);
            logProbs[j][count - 1] = logProb;
            if (stops.finished(j) || count == params.maxNewTokens()) {
                occupant[r] = -1;
            }
        }

        /** Takes a window of (k, S) ids and log-probs, row-major; a slot freed inside it ignores the rest. */
        void sync(long[] ids, float[] lps, int k) {
            int s = occupant.length;
            for (int step = 0; step < k; step++) {
                for (int r = 0; r < s; r++) {
                    if (occupant[r] >= 0) {
                        record(r, ids[step * s + r], lps[step * s + r]);
                    }
                }
            }
        }
    }

    /** Device-side state: the ring, its mask, per-slot positions, draw indices and inputs, and the k-step window. */
    private static final class Device {
        final NDManager manager;
        final KvCache ring;
        final int capacity;
        final int occupantCount; // S
        final float[] draws; // (M * N + k) host copy, per prompt a stream of N uniforms, then k padding zeros
        final NDArray drawTable; // (M * N + k) float32, null for greedy decoding
        final NDArray mask; // (S, 1, 1, C) model dtype
        final NDArray zero; // () model dtype
        final NDArray one; // () int64
        final NDArray windowIds; // (k, S, 1) int64
        final NDArray windowLogProbs; // (k, S, 1) float32
        NDArray positions; // (S, 1, 1) int64: rotary position of each slot's next input
        NDArray drawIndex; // (S, 1) int64: index into drawTable of each slot's next uniform
        NDArray last; // (S, 1) int64: each slot's next input id

        Device(NDManager manager, KvCache ring, int capacity, SamplingParams params, int prompts, DataType dtype) {
            this.manager = manager;
            this.ring = ring;
            this.capacity = capacity;
            this.occupantCount = params.maxBatch();
            int slots = params.maxBatch();
            int n = params.maxNewTokens();
            this.draws = new float[prompts * n + params.syncEvery()];
            SplittableRandom root = new SplittableRandom(params.seed());
            for (int j = 0; j < prompts; j++) {
                SplittableRandom stream = root.split();
                for (int t = 0; t < n; t++) {
                    draws[j * n + t] = (float) stream.nextDouble();
                }
            }
            this.drawTable = params.greedyDecoding() ? null : manager.create(draws, new Shape(draws.length));
            this.mask = manager.full(new Shape(slots, 1, 1, capacity), CausalLm.maskValue(dtype), dtype);
            this.zero = manager.zeros(new Shape(), dtype);
            this.one = manager.ones(new Shape(), DataType.INT64);
            this.windowIds = manager.zeros(new Shape(params.syncEvery(), slots, 1), DataType.INT64);
            this.windowLogProbs = manager.zeros(new Shape(params.syncEvery(), slots, 1), DataType.FLOAT32);
            this.positions = manager.zeros(new Shape(slots, 1, 1), DataType.INT64);
            this.drawIndex = manager.zeros(new Shape(slots, 1), DataType.INT64);
            this.last = manager.zeros(new Shape(slots, 1), DataType.INT64);
        }
    }
}
