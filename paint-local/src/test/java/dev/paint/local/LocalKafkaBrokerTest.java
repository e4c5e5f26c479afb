package dev.paint.local;

import static dev.paint.local.KafkaTestClients.keys;
import static dev.paint.local.KafkaTestClients.receiveAndCommit;
import static dev.paint.local.KafkaTestClients.sendAll;
import static dev.paint.local.KafkaTestClients.uniqueName;
import static dev.paint.local.KafkaTestClients.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LocalKafkaBrokerTest {

  private static LocalKafkaBroker broker;

  @BeforeAll
  static void startBroker() {
    broker = LocalKafkaBroker.start();
  }

  @AfterAll
  static void closeBroker() {
    if (broker != null) {
      broker.close();
    }
  }

  @BeforeEach
  void restartBrokerIfStopped() {
    if (!broker.isRunning()) {
      broker.restart();
    }
  }

  @Test
  void consumerGroupReadsProducedRecords() throws Exception {
    String topic = uniqueName("records");
    List<Map.Entry<String, String>> records =
        List.of(Map.entry("task-1", "first"), Map.entry("task-2", "second"), Map.entry("task-3", "third"));

    sendAll(broker.bootstrapServers(), topic, records);
    List<ConsumerRecord<String, String>> received =
        receiveAndCommit(broker.bootstrapServers(), topic, uniqueName("group"), 3);

    assertThat(keys(received)).containsExactly("task-1", "task-2", "task-3");
    assertThat(values(received)).containsExactly("first", "second", "third");
  }

  @Test
  void restartKeepsRecordsAndCommittedOffsets() throws Exception {
    String topic = uniqueName("restart");
    String group = uniqueName("group");
    int portBefore = broker.port();
    sendAll(broker.bootstrapServers(), topic, List.of(Map.entry("a", "1"), Map.entry("b", "2"), Map.entry("c", "3")));
    receiveAndCommit(broker.bootstrapServers(), topic, group, 3);

    broker.restart();
    sendAll(broker.bootstrapServers(), topic, List.of(Map.entry("d", "4")));
    List<ConsumerRecord<String, String>> resumed = receiveAndCommit(broker.bootstrapServers(), topic, group, 1);
    List<ConsumerRecord<String, String>> everything =
        receiveAndCommit(broker.bootstrapServers(), topic, uniqueName("fresh-group"), 4);

    assertThat(broker.port()).isEqualTo(portBefore);
    assertThat(resumed.get(0).offset()).as("offset where the group resumes").isEqualTo(3);
    assertThat(keys(resumed)).containsExactly("d");
    assertThat(keys(everything)).containsExactly("a", "b", "c", "d");
  }

  @Test
  void killedBrokerRecoversRecordsOnRestart() throws Exception {
    String topic = uniqueName("kill");
    sendAll(broker.bootstrapServers(), topic, List.of(Map.entry("x", "before-kill"), Map.entry("y", "also")));

    broker.kill();
    boolean runningAfterKill = broker.isRunning();
    boolean acceptingAfterKill = LoopbackPorts.isAcceptingConnections(broker.port());
    broker.restart();
    List<ConsumerRecord<String, String>> received =
        receiveAndCommit(broker.bootstrapServers(), topic, uniqueName("group"), 2);

    assertThat(runningAfterKill).isFalse();
    assertThat(acceptingAfterKill).isFalse();
    assertThat(values(received)).containsExactly("before-kill", "also");
  }

  @Test
  void brokerJvmHasModestHeapAndOwnLog() throws Exception {
    List<String> arguments = List.of(ProcessHandle.of(broker.pid()).orElseThrow().info().arguments().orElseThrow());

    String log = Files.readString(broker.logFile());

    assertThat(arguments).contains("-Xmx" + LocalKafkaBroker.DEFAULT_HEAP);
    assertThat(arguments).contains("kafka.Kafka");
    assertThat(log).contains(LocalKafkaBroker.STARTED_MARKER);
  }

  @Test
  void builderRejectsManagedListenerProperty() {
    LocalKafkaBroker.Builder builder = LocalKafkaBroker.builder();

    assertThatThrownBy(() -> builder.property("listeners", "PLAINTEXT://0.0.0.0:9092"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("listeners");
  }

  @Test
  void builderRejectsInvalidHeapSize() {
    LocalKafkaBroker.Builder builder = LocalKafkaBroker.builder();

    assertThatThrownBy(() -> builder.heap("lots"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'lots'");
  }

  @Test
  void clusterIdMatchesKafkaUuidFormat() {
    String clusterId = LocalKafkaBroker.randomClusterId();

    assertThat(clusterId).hasSize(22);
    assertThat(clusterId).matches("[A-Za-z0-9_][A-Za-z0-9_-]{21}");
  }
}
