package com.bookstore.kit.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP forwarder between a function and one of the stack's servers, for tests that take a
 * dependency away without touching the shared server: {@link #cut} closes the listening socket and
 * every forwarded connection (the server looks gone: connections reset, new ones refused), {@link
 * #pause} keeps the connections but forwards nothing (the server looks hung), {@link #restore}
 * brings it back on the same port. Only for protocols that do not hand out addresses of their own
 * (Redis, PostgreSQL; not Kafka, whose metadata names the broker's own address).
 */
public final class TcpProxy implements AutoCloseable {
  private final String targetHost;
  private final int targetPort;
  private final int port;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private volatile ServerSocket server;
  private volatile boolean paused;

  public TcpProxy(String targetHost, int targetPort) {
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    this.port = listen(0);
  }

  /** The local port the function is pointed at. */
  public int port() {
    return port;
  }

  /** The server is gone: every forwarded connection closed, new connections refused. */
  public synchronized void cut() {
    closeQuietly(server);
    server = null;
    sockets.forEach(TcpProxy::closeQuietly);
    sockets.clear();
  }

  /** The server hangs: connections stay open (and new ones are accepted), no byte goes through. */
  public void pause() {
    paused = true;
  }

  /** The server is back: listening again on the same port, and forwarding. */
  public synchronized void restore() {
    paused = false;
    synchronized (this) {
      notifyAll();
    }
    if (server == null) {
      listen(port);
    }
  }

  private synchronized int listen(int onPort) {
    try {
      ServerSocket s = new ServerSocket();
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort));
      server = s;
      Thread t = new Thread(() -> accept(s), "tcp-proxy-accept-" + s.getLocalPort());
      t.setDaemon(true);
      t.start();
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on " + onPort, e);
    }
  }

  private void accept(ServerSocket s) {
    while (!s.isClosed()) {
      Socket client;
      try {
        client = s.accept();
      } catch (IOException e) {
        return;
      }
      try {
        Socket upstream = new Socket(targetHost, targetPort);
        sockets.add(client);
        sockets.add(upstream);
        pump(client, upstream);
        pump(upstream, client);
      } catch (IOException e) {
        closeQuietly(client);
      }
    }
  }

  private void pump(Socket from, Socket to) {
    Thread t =
        new Thread(
            () -> {
              byte[] buf = new byte[16384];
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                  waitWhilePaused();
                  out.write(buf, 0, n);
                  out.flush();
                }
              } catch (IOException | InterruptedException e) {
                // either side closed: close both
              } finally {
                closeQuietly(from);
                closeQuietly(to);
                sockets.remove(from);
                sockets.remove(to);
              }
            },
            "tcp-proxy-pump");
    t.setDaemon(true);
    t.start();
  }

  private synchronized void waitWhilePaused() throws InterruptedException {
    while (paused) {
      wait(100);
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    if (c != null) {
      try {
        c.close();
      } catch (Exception e) {
        // closing anyway
      }
    }
  }

  @Override
  public void close() {
    paused = false;
    cut();
  }
}
