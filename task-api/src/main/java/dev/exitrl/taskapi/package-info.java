/**
 * The task space's wire contract. Every request and response of task-service is a record here, and
 * {@link dev.exitrl.taskapi.TaskSpaceClient} is the one HTTP interface that covers them: task-service's controllers
 * implement its parts ({@link dev.exitrl.taskapi.ExperimentsApi}, {@link dev.exitrl.taskapi.LeasesApi}, ...), and
 * clients (rollout, trainer, the demo, tests) call it through Spring's HTTP-interface proxy.
 *
 * <p>Every method names its full path: a proxy of the composite {@code TaskSpaceClient} does not see type-level
 * paths of the interfaces it extends.
 *
 * <p>Ids: experiments, leases, claims and evaluations are UUIDs; base tasks, instances and groups are numbers. Token
 * ids are {@code long[]} everywhere (as exit-policy uses them); behaviour log-probs are {@code float[]}.
 */
package dev.exitrl.taskapi;
