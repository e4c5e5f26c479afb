package dev.paint.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** Free ports and connection checks on 127.0.0.1, the only address the local stack binds to. */
final class LoopbackPorts {

  static final String HOST = "127.0.0.1";

  private static final int CONNECT_TIMEOUT_MILLIS = 500;

  private LoopbackPorts() {}

  /**
   * Returns a port that was free on 127.0.0.1 a moment ago. Another process may take it before the child binds it,
   * and then the child fails to start with a bind error in its log.
   */
  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("Failed to find a free port on " + HOST, e);
    }
  }

  /** Returns whether something accepts TCP connections on 127.0.0.1 at {@code port}. */
  static boolean isAcceptingConnections(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(HOST, port), CONNECT_TIMEOUT_MILLIS);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Rejects ports outside 0..65535, where 0 means "pick a free port". */
  static int requireValidPort(int port, String name) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(name + " must be between 0 (a free port) and 65535, but is " + port);
    }
    return port;
  }
}
