-- The trainer announces where each policy version's weights are; workers read it from the experiment.
ALTER TABLE experiment ADD COLUMN checkpoint_uri text;
ALTER TABLE experiment ADD COLUMN checkpoint_sha256 text;
