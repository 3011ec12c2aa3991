package dev.exitrl.task.metrics;

import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Turns on {@code @Scheduled} for the task-space gauges and the expiry reaper. */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class MetricsConfiguration {}
