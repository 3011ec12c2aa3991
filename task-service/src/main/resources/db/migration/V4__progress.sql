-- Progress and budgets. Counters are kept on the experiment row and updated in the transaction that causes them
-- (a submit adds its generated tokens, an acknowledgement its batch), so the progress view never scans the groups.
ALTER TABLE experiment
    ADD COLUMN tokens_generated bigint NOT NULL DEFAULT 0,  -- response token ids of every submitted rollout
    ADD COLUMN tokens_trained   bigint NOT NULL DEFAULT 0,  -- as the trainer reported them when acknowledging
    ADD COLUMN iterations       bigint NOT NULL DEFAULT 0;  -- acknowledged training batches

-- Per group, what the progress view averages over the recent groups (written once, at submit).
ALTER TABLE rollout_group
    ADD COLUMN generated_tokens integer          NOT NULL DEFAULT 0,
    ADD COLUMN mean_reward      double precision,
    ADD COLUMN mean_quality     double precision;
CREATE INDEX rollout_group_recent_idx ON rollout_group (experiment_id, created_at);

-- One row per acknowledged claim (a retried acknowledgement adds none): the train token rate and the ETA.
CREATE TABLE training_ack (
    claim_id       uuid             PRIMARY KEY,
    experiment_id  uuid             NOT NULL REFERENCES experiment (id) ON DELETE CASCADE,
    groups         integer          NOT NULL,
    tokens_trained bigint,
    train_seconds  double precision,
    acked_at       timestamptz      NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX training_ack_recent_idx ON training_ack (experiment_id, acked_at DESC);

-- Groups and acknowledgements from before this migration: derive the same numbers from what was stored.
UPDATE rollout_group g
   SET generated_tokens = s.tokens, mean_reward = s.reward, mean_quality = s.quality
  FROM (SELECT g2.id,
               coalesce(sum(CASE WHEN jsonb_typeof(r->'tokenIds') = 'array'
                                 THEN jsonb_array_length(r->'tokenIds') ELSE 0 END), 0) AS tokens,
               avg((r->>'reward')::float8) AS reward,
               avg((r->>'quality')::float8) AS quality
          FROM rollout_group g2, jsonb_array_elements(g2.rollouts->'rollouts') r
         GROUP BY g2.id) s
 WHERE s.id = g.id;
UPDATE experiment e
   SET tokens_generated = (SELECT coalesce(sum(generated_tokens), 0) FROM rollout_group WHERE experiment_id = e.id),
       iterations = (SELECT count(DISTINCT claim_id) FROM training_queue
                      WHERE experiment_id = e.id AND state = 'CONSUMED' AND claim_id IS NOT NULL);
