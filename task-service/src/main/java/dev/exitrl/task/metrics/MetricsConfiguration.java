package dev.exitrl.task.metrics;

import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Turns on {@code @Scheduled} for the task-space gauges (harmless if another configuration enables it too). */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class MetricsConfiguration {}
