package dev.paint.shared.dataset;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 digests in lowercase hex, the form sha256sum prints and manifests store. */
public final class Sha256 {

  private Sha256() {}

  /** Returns the SHA-256 digest of {@code data} as 64 lowercase hex digits. */
  public static String hex(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      // Every Java platform must provide SHA-256 (MessageDigest javadoc), so this cannot happen.
      throw new IllegalStateException("SHA-256 is not available in this JVM", e);
    }
  }
}
