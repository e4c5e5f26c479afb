package dev.paint.trainer.messaging;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

/** Counts the patch task consumer's partition assignments and revocations, which only a rebalance causes. */
@ApplicationScoped
@Identifier(RebalanceCounter.NAME)
public class RebalanceCounter implements KafkaConsumerRebalanceListener {

  /** The name that the test profile's consumer-rebalance-listener.name gives the patch task channel. */
  static final String NAME = "trainer-rebalance-counter";

  final AtomicInteger assignments = new AtomicInteger();
  final AtomicInteger revocations = new AtomicInteger();

  @Override
  public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
    assignments.incrementAndGet();
  }

  @Override
  public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
    // A call with no partitions moves no work, so it does not count as a revocation.
    if (!partitions.isEmpty()) {
      revocations.incrementAndGet();
    }
  }

  @Override
  public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
    revocations.incrementAndGet();
  }
}
