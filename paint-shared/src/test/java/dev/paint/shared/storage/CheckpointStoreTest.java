package dev.paint.shared.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paint.shared.checkpoint.Checkpoint;
import dev.paint.shared.checkpoint.CheckpointIntegrityException;
import dev.paint.shared.checkpoint.CheckpointManifest;
import dev.paint.shared.checkpoint.CheckpointShard;
import dev.paint.shared.checkpoint.CheckpointWriter;
import dev.paint.shared.checkpoint.Checkpoints;
import dev.paint.shared.checkpoint.SafetensorsWriter;
import dev.paint.shared.checkpoint.ShardedCheckpointManifest;
import dev.paint.shared.checkpoint.Tensor;
import dev.paint.shared.event.CheckpointRef;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Runs {@link CheckpointStore} against S3Proxy on 127.0.0.1, one bucket per test. */
class CheckpointStoreTest {

  private static final String FIRST = "encoder-00001-of-00002.safetensors";
  private static final String SECOND = "encoder-00002-of-00002.safetensors";
  private static final String INDEX_KEY = "models/m/imports/u1/encoder.safetensors.index.json";
  private static final String FIRST_KEY = "models/m/imports/u1/" + FIRST;
  private static final String SECOND_KEY = "models/m/imports/u1/" + SECOND;

  @RegisterExtension
  static final LocalObjectStoreExtension S3PROXY = new LocalObjectStoreExtension();

  @TempDir Path directory;

  private ObjectStore objects;
  private CheckpointStore checkpoints;

  @BeforeEach
  void createBucket() {
    objects = S3PROXY.createBucket("checkpoints-");
    checkpoints = new CheckpointStore(objects);
  }

  @Test
  void shardedCheckpointRoundTrips() throws IOException {
    Path index = writeSharded(directory.resolve("local/model.safetensors.index.json"));

    CheckpointRef ref = checkpoints.upload(INDEX_KEY, index);
    Path downloaded = directory.resolve("downloaded/encoder.safetensors.index.json");
    checkpoints.download(ref, downloaded);

    assertThat(objects.list("models/m/imports/u1/")).containsExactly(
        FIRST_KEY, SECOND_KEY, INDEX_KEY, INDEX_KEY + CheckpointStore.MANIFEST_SUFFIX);
    assertThat(ref.sizeBytes()).isEqualTo(Files.size(index) + Files.size(index.resolveSibling(FIRST))
        + Files.size(index.resolveSibling(SECOND)));
    assertThat(checkpoints.find(INDEX_KEY)).isEqualTo(ref);
    assertThat(checkpoints.manifest(INDEX_KEY)).isInstanceOf(ShardedCheckpointManifest.class);
    assertThat(Files.readAllBytes(downloaded.resolveSibling(SECOND)))
        .isEqualTo(Files.readAllBytes(index.resolveSibling(SECOND)));
    try (Checkpoint checkpoint = Checkpoints.open(downloaded)) {
      assertThat(checkpoint.read("proj.weight").toFloats()).containsExactly(1f, 2f, 3f, 4f);
      assertThat(checkpoint.read("proj.bias").toFloats()).containsExactly(-1f, -2f);
    }
  }

  @Test
  void shardedSha256IsSha256OfFileDigestListing() throws IOException {
    Path index = writeSharded(directory.resolve("model.safetensors.index.json"));

    CheckpointRef ref = checkpoints.upload(INDEX_KEY, index);

    // What `sha256sum` prints for the index (listed as "index") and then the shards in file-name order.
    String listing = sha256(Files.readAllBytes(index)) + "  index\n"
        + sha256(Files.readAllBytes(index.resolveSibling(FIRST))) + "  " + FIRST + "\n"
        + sha256(Files.readAllBytes(index.resolveSibling(SECOND))) + "  " + SECOND + "\n";
    assertThat(ref.sha256()).isEqualTo(sha256(listing.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void tamperedShardRejected() throws IOException {
    Path index = writeSharded(directory.resolve("model.safetensors.index.json"));
    CheckpointRef ref = checkpoints.upload(INDEX_KEY, index);
    byte[] shard = objects.getBytes(SECOND_KEY);
    shard[shard.length - 1] ^= 0x01;
    objects.putBytes(SECOND_KEY, shard, "application/octet-stream");

    Path downloaded = directory.resolve("downloaded/encoder.safetensors.index.json");

    assertThatThrownBy(() -> checkpoints.download(ref, downloaded))
        .isInstanceOf(CheckpointIntegrityException.class)
        .hasMessageContaining(SECOND)
        .hasMessageContaining("its SHA-256 is " + sha256(shard));
  }

  @Test
  void truncatedShardRejected() throws IOException {
    Path index = writeSharded(directory.resolve("model.safetensors.index.json"));
    CheckpointRef ref = checkpoints.upload(INDEX_KEY, index);
    byte[] shard = objects.getBytes(FIRST_KEY);
    objects.putBytes(FIRST_KEY, Arrays.copyOf(shard, shard.length - 4), "application/octet-stream");

    Path downloaded = directory.resolve("downloaded/encoder.safetensors.index.json");

    assertThatThrownBy(() -> checkpoints.download(ref, downloaded))
        .isInstanceOf(CheckpointIntegrityException.class)
        .hasMessageContaining(FIRST)
        .hasMessageContaining("it has " + (shard.length - 4) + " bytes but the manifest expects " + shard.length);
  }

  @Test
  void missingShardRejected() throws IOException {
    Path index = writeSharded(directory.resolve("model.safetensors.index.json"));
    CheckpointRef ref = checkpoints.upload(INDEX_KEY, index);
    objects.delete(FIRST_KEY);

    Path downloaded = directory.resolve("downloaded/encoder.safetensors.index.json");

    assertThatThrownBy(() -> checkpoints.download(ref, downloaded))
        .isInstanceOf(CheckpointIntegrityException.class)
        .hasMessageContaining("Shard s3://" + objects.bucket() + "/" + FIRST_KEY + " of checkpoint")
        .hasMessageContaining("is missing although its manifest lists it");
    assertThat(checkpoints.find(INDEX_KEY)).isNull();
  }

  @Test
  void wrongReferenceSha256Rejected() throws IOException {
    Path index = writeSharded(directory.resolve("model.safetensors.index.json"));
    CheckpointRef ref = checkpoints.upload(INDEX_KEY, index);
    String other = "0".repeat(64);

    Path downloaded = directory.resolve("downloaded/encoder.safetensors.index.json");

    assertThatThrownBy(() -> checkpoints.download(new CheckpointRef(INDEX_KEY, other, ref.sizeBytes()), downloaded))
        .isInstanceOf(CheckpointIntegrityException.class)
        .hasMessageContaining("has SHA-256 " + ref.sha256() + " in its manifest but " + other + " was expected");
    assertThat(downloaded).doesNotExist();
  }

  @Test
  void localNameOfOtherFormRejected() throws IOException {
    Path index = writeSharded(directory.resolve("model.safetensors.index.json"));
    CheckpointRef ref = checkpoints.upload(INDEX_KEY, index);

    assertThatThrownBy(() -> checkpoints.download(ref, directory.resolve("encoder.safetensors")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("disagree on the checkpoint's form");
    assertThatThrownBy(() -> checkpoints.upload("models/m/encoder.safetensors", index))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("disagree on the checkpoint's form");
  }

  @Test
  void localPathKeepsIndexName() {
    CheckpointRef sharded = new CheckpointRef(INDEX_KEY, "0".repeat(64), 1);
    CheckpointRef single = new CheckpointRef("tasks/m/t/fine-tuned.safetensors", "0".repeat(64), 1);

    assertThat(CheckpointStore.localPath(sharded, directory, "base"))
        .isEqualTo(directory.resolve("base").resolve("encoder.safetensors.index.json"));
    assertThat(CheckpointStore.localPath(single, directory, "base")).isEqualTo(directory.resolve("base.safetensors"));
  }

  @Test
  void singleFileManifestUnchanged() throws IOException {
    Path file = directory.resolve("head.safetensors");
    SafetensorsWriter.write(file, List.of(Tensor.ofFloats("head", new long[] {2, 2}, new float[] {1, 2, 3, 4})),
        Map.of());
    String key = "models/m/heads/t.safetensors";

    CheckpointRef ref = checkpoints.upload(key, file);
    Path downloaded = directory.resolve("downloaded.safetensors");
    checkpoints.download(ref, downloaded);

    CheckpointManifest local = CheckpointManifest.describe(file);
    assertThat(new String(objects.getBytes(key + CheckpointStore.MANIFEST_SUFFIX), StandardCharsets.UTF_8))
        .isEqualTo(local.toJson())
        .contains("\"formatVersion\":1");
    assertThat(ref).isEqualTo(new CheckpointRef(key, sha256(Files.readAllBytes(file)), Files.size(file)));
    assertThat(objects.list("models/m/")).containsExactly(key, key + CheckpointStore.MANIFEST_SUFFIX);
    assertThat(Files.readAllBytes(downloaded)).isEqualTo(Files.readAllBytes(file));
  }

  @Test
  void secondShardedCheckpointInFolderRejected() throws IOException {
    Path index = writeSharded(directory.resolve("model.safetensors.index.json"));
    CheckpointRef first = checkpoints.upload(INDEX_KEY, index);
    String otherKey = "models/m/imports/u1/other.safetensors.index.json";

    assertThatThrownBy(() -> checkpoints.upload(otherKey, index))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("would share its folder with the sharded checkpoint s3://" + objects.bucket() + "/"
            + INDEX_KEY)
        .hasMessageContaining("give each sharded checkpoint a key prefix of its own");

    assertThat(objects.exists(otherKey)).isFalse();
    assertThat(checkpoints.find(INDEX_KEY)).isEqualTo(first);
  }

  @Test
  void shardOverSingleFileCheckpointRejected() throws IOException {
    Path single = directory.resolve("single.safetensors");
    SafetensorsWriter.write(single, List.of(Tensor.ofFloats("w", new long[] {1}, new float[] {7})), Map.of());
    CheckpointRef singleFile = checkpoints.upload(FIRST_KEY, single);
    Path index = writeSharded(directory.resolve("model.safetensors.index.json"));

    assertThatThrownBy(() -> checkpoints.upload(INDEX_KEY, index))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Shard " + FIRST + " of sharded checkpoint")
        .hasMessageContaining("would replace the checkpoint s3://" + objects.bucket() + "/" + FIRST_KEY);

    assertThat(checkpoints.find(FIRST_KEY)).isEqualTo(singleFile);
    assertThat(objects.exists(INDEX_KEY)).isFalse();
  }

  @Test
  void singleFileOverShardRejected() throws IOException {
    Path index = writeSharded(directory.resolve("model.safetensors.index.json"));
    CheckpointRef sharded = checkpoints.upload(INDEX_KEY, index);
    Path single = directory.resolve("single.safetensors");
    SafetensorsWriter.write(single, List.of(Tensor.ofFloats("w", new long[] {1}, new float[] {7})), Map.of());

    assertThatThrownBy(() -> checkpoints.upload(SECOND_KEY, single))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("would replace a shard of the sharded checkpoint s3://" + objects.bucket() + "/"
            + INDEX_KEY);

    assertThat(checkpoints.find(INDEX_KEY)).isEqualTo(sharded);
    checkpoints.download(sharded, directory.resolve("downloaded/encoder.safetensors.index.json"));
  }

  @Test
  void shardedCheckpointUploadedAgain() throws IOException {
    Path index = writeSharded(directory.resolve("model.safetensors.index.json"));
    CheckpointRef first = checkpoints.upload(INDEX_KEY, index);

    CheckpointRef again = checkpoints.upload(INDEX_KEY, index);

    assertThat(again).isEqualTo(first);
  }

  /** Writes "proj.weight" to the first shard and "proj.bias" to the second. */
  private static Path writeSharded(Path index) throws IOException {
    Files.createDirectories(index.getParent());
    Tensor weight = Tensor.ofFloats("proj.weight", new long[] {2, 2}, new float[] {1, 2, 3, 4});
    Tensor bias = Tensor.ofFloats("proj.bias", new long[] {2}, new float[] {-1, -2});
    List<CheckpointShard> layout = List.of(
        new CheckpointShard(FIRST, List.of(weight.spec())), new CheckpointShard(SECOND, List.of(bias.spec())));
    try (CheckpointWriter writer = Checkpoints.createWriter(index, layout, Map.of("format", "pt"))) {
      writer.write("proj.weight", weight.data());
      writer.write("proj.bias", bias.data());
    }
    return index;
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
