-- The ExIt task space. Every state change of the buffer happens in one transaction that first locks the
-- experiment row (SELECT ... FOR UPDATE), so buffer decisions are made one at a time per experiment, exactly as
-- exit-core's InMemoryBuffer makes them.

ALTER TABLE experiment
    ADD COLUMN policy_version bigint NOT NULL DEFAULT 0,  -- newest policy version announced by the trainer
    ADD COLUMN lease_count    bigint NOT NULL DEFAULT 0,  -- leases served so far; seeds each lease's random source
    ADD COLUMN buffer_version bigint NOT NULL DEFAULT 0;   -- bumped by every transaction that changes what leases sample

-- Base tasks of an experiment's domain. ordinal is 0..n-1 per (experiment, split) so that a uniform draw is one
-- index lookup.
CREATE TABLE base_task (
    id            bigserial   PRIMARY KEY,
    experiment_id uuid        NOT NULL REFERENCES experiment (id) ON DELETE CASCADE,
    task_key      text        NOT NULL,
    split         text        NOT NULL CHECK (split IN ('TRAIN', 'TEST')),
    ordinal       integer     NOT NULL,
    payload       jsonb       NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (experiment_id, task_key),
    UNIQUE (experiment_id, split, ordinal)
);

-- Task instances (m, k, tau). A row exists for every instance ever leased or offered to the buffer; in_buffer
-- marks the current buffer. Identity is (experiment, base task, history): history_hash is the SHA-256 of the
-- history's canonical JSON.
CREATE TABLE task_instance (
    id                   bigserial        PRIMARY KEY,
    experiment_id        uuid             NOT NULL REFERENCES experiment (id) ON DELETE CASCADE,
    base_task_id         bigint           NOT NULL REFERENCES base_task (id) ON DELETE CASCADE,
    parent_id            bigint           REFERENCES task_instance (id) ON DELETE SET NULL,
    depth                integer          NOT NULL CHECK (depth >= 0),
    history              jsonb            NOT NULL,
    history_hash         text             NOT NULL,
    created_by           text             CHECK (created_by IN ('SOLVE', 'IMPROVE', 'DIVERGE', 'DEBUG')),
    quality              double precision,  -- verifier quality of the latest response in the history
    score                double precision,  -- learnability S, own or inherited
    in_buffer            boolean          NOT NULL DEFAULT false,
    insertion_seq        bigint,            -- set when the instance entered the buffer; ties evict the oldest
    times_sampled        integer          NOT NULL DEFAULT 0,
    last_sampled_version bigint,            -- policy version when last sampled (staleness)
    leased_by            uuid,              -- active lease, if any
    leased_until         timestamptz,
    created_at           timestamptz      NOT NULL DEFAULT now(),
    UNIQUE (experiment_id, base_task_id, history_hash)
);
CREATE SEQUENCE buffer_insertion_seq;
CREATE INDEX task_instance_buffer_idx ON task_instance (experiment_id, score, insertion_seq) WHERE in_buffer;
CREATE INDEX task_instance_parent_idx ON task_instance (parent_id);
-- Leased rows are few: these keep releasing a lease and reclaiming expired ones from scanning the whole table.
CREATE INDEX task_instance_leased_by_idx ON task_instance (leased_by) WHERE leased_by IS NOT NULL;
CREATE INDEX task_instance_lease_expiry_idx ON task_instance (experiment_id, leased_until) WHERE leased_by IS NOT NULL;

CREATE TABLE lease (
    id             uuid        PRIMARY KEY,
    experiment_id  uuid        NOT NULL REFERENCES experiment (id) ON DELETE CASCADE,
    worker_id      text        NOT NULL,
    policy_version bigint      NOT NULL,
    status         text        NOT NULL CHECK (status IN ('ACTIVE', 'RELEASED', 'EXPIRED', 'COMPLETED')),
    created_at     timestamptz NOT NULL,
    expires_at     timestamptz NOT NULL,
    closed_at      timestamptz
);
CREATE INDEX lease_active_idx ON lease (expires_at) WHERE status = 'ACTIVE';

CREATE TABLE lease_slot (
    lease_id    uuid    NOT NULL REFERENCES lease (id) ON DELETE CASCADE,
    slot        integer NOT NULL,
    instance_id bigint  NOT NULL REFERENCES task_instance (id) ON DELETE CASCADE,
    step_kind   text    NOT NULL CHECK (step_kind IN ('SOLVE', 'IMPROVE', 'DIVERGE', 'DEBUG')),
    from_buffer boolean NOT NULL,
    group_id    bigint,  -- set when the slot's group was submitted
    PRIMARY KEY (lease_id, slot)
);
CREATE INDEX lease_slot_instance_idx ON lease_slot (instance_id);

-- One GRPO group: G rollouts of one instance under one policy version.
CREATE TABLE rollout_group (
    id              bigserial        PRIMARY KEY,
    experiment_id   uuid             NOT NULL REFERENCES experiment (id) ON DELETE CASCADE,
    instance_id     bigint           NOT NULL REFERENCES task_instance (id) ON DELETE CASCADE,
    lease_id        uuid             REFERENCES lease (id) ON DELETE SET NULL,
    step_kind       text             NOT NULL CHECK (step_kind IN ('SOLVE', 'IMPROVE', 'DIVERGE', 'DEBUG')),
    policy_version  bigint           NOT NULL,
    prompt          text             NOT NULL,
    rollouts        jsonb            NOT NULL,  -- [{response, quality, reward, feedback, tokenIds, logProbs}]
    score           double precision NOT NULL,
    idempotency_key text             NOT NULL,
    outcome         jsonb            NOT NULL,  -- the submit's answer, returned again on an idempotent replay
    created_at      timestamptz      NOT NULL DEFAULT now(),
    UNIQUE (experiment_id, idempotency_key)
);
CREATE INDEX rollout_group_instance_idx ON rollout_group (instance_id);

-- The training queue: every submitted group, READY until the trainer claims it.
CREATE TABLE training_queue (
    group_id         bigint      PRIMARY KEY REFERENCES rollout_group (id) ON DELETE CASCADE,
    experiment_id    uuid        NOT NULL REFERENCES experiment (id) ON DELETE CASCADE,
    policy_version   bigint      NOT NULL,
    state            text        NOT NULL CHECK (state IN ('READY', 'CLAIMED', 'CONSUMED', 'DROPPED_STALE')),
    claim_id         uuid,
    claim_expires_at timestamptz,
    enqueued_at      timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX training_queue_ready_idx ON training_queue (experiment_id, group_id) WHERE state = 'READY';
CREATE INDEX training_queue_claimed_idx ON training_queue (claim_id) WHERE state = 'CLAIMED';

-- K-step self-improvement evaluations on held-out base tasks.
CREATE TABLE evaluation (
    id             uuid        PRIMARY KEY,
    experiment_id  uuid        NOT NULL REFERENCES experiment (id) ON DELETE CASCADE,
    policy_version bigint      NOT NULL,
    split          text        NOT NULL CHECK (split IN ('TRAIN', 'TEST')),
    steps          integer     NOT NULL CHECK (steps >= 0),
    samples        integer     NOT NULL CHECK (samples >= 1),
    status         text        NOT NULL CHECK (status IN ('RUNNING', 'COMPLETED', 'FAILED')),
    label          text,
    created_at     timestamptz NOT NULL DEFAULT now(),
    completed_at   timestamptz
);
CREATE INDEX evaluation_experiment_idx ON evaluation (experiment_id, created_at);

-- One row per (base task, sample, step): the quality of that step's response.
CREATE TABLE evaluation_result (
    evaluation_id uuid             NOT NULL REFERENCES evaluation (id) ON DELETE CASCADE,
    base_task_id  bigint           NOT NULL REFERENCES base_task (id) ON DELETE CASCADE,
    sample        integer          NOT NULL CHECK (sample >= 0),
    step          integer          NOT NULL CHECK (step >= 0),
    step_kind     text             NOT NULL CHECK (step_kind IN ('SOLVE', 'IMPROVE', 'DIVERGE', 'DEBUG')),
    quality       double precision NOT NULL CHECK (quality >= 0 AND quality <= 1),
    correct       boolean          NOT NULL,
    PRIMARY KEY (evaluation_id, base_task_id, sample, step)
);
