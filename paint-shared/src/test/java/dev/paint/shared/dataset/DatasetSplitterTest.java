package dev.paint.shared.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DatasetSplitterTest {

  private static final List<String> CLASSES = List.of("a", "b", "c");

  @Test
  void shippedTestKeepsTestAndCapsValidation() {
    RawDataset raw = new RawDataset(CLASSES, indexedImages(60_000), indexedImages(10_000));

    Dataset dataset = DatasetSplitter.split("fashion-mnist", raw, 7);

    assertThat(dataset.validation().size()).isEqualTo(5_000);
    assertThat(dataset.train().size()).isEqualTo(55_000);
    assertThat(dataset.test()).isSameAs(raw.test());
  }

  @Test
  void smallShippedTestTakesTenPercentValidation() {
    RawDataset raw = new RawDataset(CLASSES, indexedImages(1_234), indexedImages(50));

    Dataset dataset = DatasetSplitter.split("small", raw, 7);

    assertThat(dataset.validation().size()).isEqualTo(123);
    assertThat(dataset.train().size()).isEqualTo(1_111);
  }

  @Test
  void missingTestDrawnBeforeValidation() {
    RawDataset raw = new RawDataset(CLASSES, indexedImages(1_797), null);

    Dataset dataset = DatasetSplitter.split("uci-digits", raw, 7);

    assertThat(dataset.test().size()).isEqualTo(359);
    assertThat(dataset.validation().size()).isEqualTo(143);
    assertThat(dataset.train().size()).isEqualTo(1_797 - 359 - 143);
  }

  @Test
  void splitsAreDisjointAndComplete() {
    RawDataset raw = new RawDataset(CLASSES, indexedImages(1_000), null);

    Dataset dataset = DatasetSplitter.split("digits", raw, 11);

    List<Integer> seen = new ArrayList<>();
    for (Split split : Split.values()) {
      seen.addAll(indicesOf(dataset.split(split)));
    }
    assertThat(seen).hasSize(1_000).doesNotHaveDuplicates();
    assertThat(seen).containsExactlyInAnyOrderElementsOf(indicesOf(raw.train()));
  }

  @Test
  void splitsKeepLabelWithImage() {
    RawDataset raw = new RawDataset(CLASSES, indexedImages(500), null);

    Dataset dataset = DatasetSplitter.split("digits", raw, 3);

    for (Split split : Split.values()) {
      LabeledImages images = dataset.split(split);
      for (int i = 0; i < images.size(); i++) {
        assertThat(images.labels()[i]).isEqualTo(indexOf(images, i) % CLASSES.size());
      }
    }
  }

  @Test
  void sameSeedGivesIdenticalBytes() {
    RawDataset raw = new RawDataset(CLASSES, indexedImages(2_000), null);

    Dataset first = DatasetSplitter.split("digits", raw, 42);
    Dataset second = DatasetSplitter.split("digits", raw, 42);

    for (Split split : Split.values()) {
      assertThat(IdxFormat.encodeImages(second.split(split))).isEqualTo(IdxFormat.encodeImages(first.split(split)));
      assertThat(second.split(split).labels()).isEqualTo(first.split(split).labels());
    }
    assertThat(second.seed()).isEqualTo(42);
  }

  @Test
  void differentSeedDrawsDifferentValidation() {
    RawDataset raw = new RawDataset(CLASSES, indexedImages(2_000), null);

    Dataset first = DatasetSplitter.split("digits", raw, 1);
    Dataset second = DatasetSplitter.split("digits", raw, 2);

    assertThat(indicesOf(second.validation())).isNotEqualTo(indicesOf(first.validation()));
  }

  @Test
  void splitsAreShuffledNotSourceOrder() {
    RawDataset raw = new RawDataset(CLASSES, indexedImages(1_000), null);

    Dataset dataset = DatasetSplitter.split("digits", raw, 5);

    List<Integer> train = indicesOf(dataset.train());
    assertThat(train).isNotEqualTo(train.stream().sorted().toList());
  }

  @Test
  void tooFewImagesRejected() {
    RawDataset eleven = new RawDataset(CLASSES, indexedImages(11), null);
    RawDataset twelve = new RawDataset(CLASSES, indexedImages(12), null);

    Dataset smallest = DatasetSplitter.split("tiny", twelve, 1);

    assertThat(smallest.validation().size()).isEqualTo(1);
    assertThatThrownBy(() -> DatasetSplitter.split("tiny", eleven, 1))
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining("'tiny'")
        .hasMessageContaining("(11)");
  }

  @Test
  void invalidNameRejected() {
    RawDataset raw = new RawDataset(CLASSES, indexedImages(100), null);

    assertThatThrownBy(() -> DatasetSplitter.split("Fashion MNIST", raw, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'Fashion MNIST'");
  }

  /** Images of 1x1x2 pixels that store their own index big-endian, labelled index modulo the class count. */
  private static LabeledImages indexedImages(int count) {
    byte[] pixels = new byte[count * 2];
    int[] labels = new int[count];
    for (int i = 0; i < count; i++) {
      pixels[2 * i] = (byte) (i >> 8);
      pixels[2 * i + 1] = (byte) i;
      labels[i] = i % CLASSES.size();
    }
    return new LabeledImages(1, 1, 2, pixels, labels);
  }

  private static int indexOf(LabeledImages images, int i) {
    return images.pixel(i, 0, 0, 0) << 8 | images.pixel(i, 0, 0, 1);
  }

  private static List<Integer> indicesOf(LabeledImages images) {
    List<Integer> indices = new ArrayList<>();
    for (int i = 0; i < images.size(); i++) {
      indices.add(indexOf(images, i));
    }
    return indices;
  }
}
