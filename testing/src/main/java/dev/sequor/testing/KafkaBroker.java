package dev.sequor.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A real Apache Kafka broker in KRaft mode (one process, broker and controller) on free loopback
 * ports, from the artifacts scripts/kafka.sh resolves from Maven Central. {@link #kill()} is a
 * {@code kill -9}; {@link #restart()} brings the same broker back on the same ports and data.
 */
public final class KafkaBroker implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);
    /** What the broker logs once it serves clients (KafkaRaftServer). */
    private static final String STARTED = "Kafka Server started";

    private final Path work;
    private final Path log;
    private final List<String> java;
    private final int port;
    private Process process;

    private KafkaBroker(Path work, List<String> java, int port) {
        this.work = work;
        this.log = work.resolve("broker.log");
        this.java = java;
        this.port = port;
    }

    /** Formats a fresh broker's storage, starts it and waits until it serves clients. */
    public static KafkaBroker start() {
        try {
            String classpath = Files.readString(Path.of(Repo.runScript("scripts/kafka.sh").trim())).trim();
            Path work = Files.createTempDirectory("sequor-kafka");
            int port = Loopback.freePort();
            int controllerPort = Loopback.freePort();
            Path config = work.resolve("server.properties");
            Files.writeString(config, """
                    process.roles=broker,controller
                    node.id=1
                    controller.quorum.voters=1@127.0.0.1:%2$d
                    listeners=PLAINTEXT://127.0.0.1:%1$d,CONTROLLER://127.0.0.1:%2$d
                    advertised.listeners=PLAINTEXT://127.0.0.1:%1$d
                    controller.listener.names=CONTROLLER
                    listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
                    inter.broker.listener.name=PLAINTEXT
                    log.dirs=%3$s
                    num.partitions=3
                    auto.create.topics.enable=false
                    offsets.topic.replication.factor=1
                    offsets.topic.num.partitions=3
                    transaction.state.log.replication.factor=1
                    transaction.state.log.min.isr=1
                    share.coordinator.state.topic.replication.factor=1
                    share.coordinator.state.topic.min.isr=1
                    group.initial.rebalance.delay.ms=0
                    """.formatted(port, controllerPort, work.resolve("data")));
            Files.writeString(work.resolve("log4j2.properties"), """
                    rootLogger.level=INFO
                    rootLogger.appenderRef.stdout.ref=STDOUT
                    appender.stdout.type=Console
                    appender.stdout.name=STDOUT
                    appender.stdout.layout.type=PatternLayout
                    appender.stdout.layout.pattern=[%d] %p %m (%c)%n
                    """);
            List<String> java = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xms128m", "-Xmx512m", "-XX:+UseSerialGC",
                    "-Dlog4j2.configurationFile=" + work.resolve("log4j2.properties"), "-cp", classpath);
            KafkaBroker broker = new KafkaBroker(work, java, port);
            broker.format(config);
            broker.run();
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code host:port} for a client's {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** Kills the broker at once ({@code kill -9}): no clean shutdown, no flush. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts the broker again on its ports and data (after {@link #kill()}); waits until it serves. */
    public void restart() {
        try {
            run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void format(Path config) throws IOException {
        byte[] id = ByteBuffer.allocate(16).putLong(UUID.randomUUID().getMostSignificantBits())
                .putLong(UUID.randomUUID().getLeastSignificantBits()).array();
        // The first character comes from the top 6 bits; with the top bit clear it is a letter, never
        // '-', which the storage tool's parser would take for an option (1 run in 32 failed so).
        id[0] &= 0x7f;
        String clusterId = Base64.getUrlEncoder().withoutPadding().encodeToString(id);
        List<String> command = new java.util.ArrayList<>(java);
        command.addAll(List.of("kafka.tools.StorageTool", "format", "-t", clusterId, "-c", config.toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        try {
            if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException("formatting the Kafka broker's storage failed:\n" + Loopback.readLog(log));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void run() throws IOException {
        long logged = Files.exists(log) ? Files.size(log) : 0;
        List<String> command = new java.util.ArrayList<>(java);
        command.addAll(List.of("kafka.Kafka", work.resolve("server.properties").toString()));
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the Kafka broker exited early:\n" + Loopback.readLog(log));
            }
            if (logSince(logged).contains(STARTED)) {
                return;
            }
            Loopback.pause(200);
        }
        close();
        throw new IllegalStateException("the Kafka broker did not start in " + START_TIMEOUT + ":\n" + Loopback.readLog(log));
    }

    private String logSince(long offset) throws IOException {
        byte[] all = Files.readAllBytes(log);
        return new String(all, (int) Math.min(offset, all.length), (int) Math.max(0, all.length - offset),
                StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
