package dev.exitrl.trainer.loop;

import dev.exitrl.trainer.TrainerProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Runs the {@link TrainingLoop} on the JVM's one training thread from application start to shutdown
 * ({@code exit.trainer.loop-enabled}); waits a poll interval after every round that trained nothing. Shutdown lets the
 * current batch finish.
 */
@Component
class TrainingThread implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(TrainingThread.class);

    private final TrainingLoop loop;
    private final TrainerProperties properties;
    private volatile boolean running;
    private Thread thread;

    TrainingThread(TrainingLoop loop, TrainerProperties properties) {
        this.loop = loop;
        this.properties = properties;
    }

    @Override
    public synchronized void start() {
        if (!properties.loopEnabled() || running) {
            return;
        }
        running = true;
        thread = new Thread(this::run, "exit-trainer");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        boolean reachable = true;
        while (running) {
            boolean trained = false;
            try {
                trained = loop.runRound();
                if (!reachable) {
                    log.info("task space reachable again at {}", properties.taskServiceUrl());
                }
                reachable = true;
            } catch (RuntimeException e) {
                if (reachable) {
                    log.warn("training round failed (task space at {}): {}", properties.taskServiceUrl(), e.toString());
                }
                reachable = false;
            }
            if (!trained) {
                try {
                    Thread.sleep(properties.pollInterval().toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        loop.close();
    }

    @Override
    public void stop() {
        Thread t;
        synchronized (this) {
            running = false;
            t = thread;
        }
        if (t != null) {
            try {
                t.join(properties.pollInterval().toMillis() + 60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
