-- Experiments: one ExIt run each, with its validated configuration as JSONB.
CREATE TABLE experiment (
    id          uuid        PRIMARY KEY,
    name        text        NOT NULL,
    domain      text        NOT NULL,
    preset      text        NOT NULL,
    status      text        NOT NULL CHECK (status IN ('CREATED', 'RUNNING', 'PAUSED', 'COMPLETED', 'FAILED')),
    seed        bigint      NOT NULL,
    config      jsonb       NOT NULL,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL
);

CREATE INDEX experiment_status_idx ON experiment (status);
