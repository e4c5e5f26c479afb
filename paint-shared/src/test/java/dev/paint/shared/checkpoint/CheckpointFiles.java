package dev.paint.shared.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Builders of raw checkpoint files for tests, including malformed ones that no writer would produce. */
final class CheckpointFiles {

  private CheckpointFiles() {}

  /** Writes an 8-byte length prefix, then {@code header} as UTF-8, then {@code dataBytes} zero bytes. */
  static Path raw(Path file, String header, int dataBytes) throws IOException {
    byte[] json = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer bytes = ByteBuffer.allocate(8 + json.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
    bytes.putLong(json.length).put(json);
    Files.write(file, bytes.array());
    return file;
  }

  /** Writes an 8-byte length prefix that claims {@code headerLength}, followed by {@code rest}. */
  static Path withHeaderLength(Path file, long headerLength, byte[] rest) throws IOException {
    ByteBuffer bytes = ByteBuffer.allocate(8 + rest.length).order(ByteOrder.LITTLE_ENDIAN);
    bytes.putLong(headerLength).put(rest);
    Files.write(file, bytes.array());
    return file;
  }
}
