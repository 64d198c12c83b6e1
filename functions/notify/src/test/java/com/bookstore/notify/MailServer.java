package com.bookstore.notify;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A real SMTP server (GreenMail) in the test JVM, on a free loopback port, that the function's
 * mailer is pointed at. Tests read what it received, and stop and restart it to play an outage.
 */
public class MailServer implements QuarkusTestResourceLifecycleManager {
  private static int port;
  private static GreenMail server;

  /** Mail received by earlier lives of the server (a restart starts with an empty store). */
  private static final List<MimeMessage> EARLIER = new ArrayList<>();

  @Override
  public Map<String, String> start() {
    port = freePort();
    startServer();
    return Map.of(
        "quarkus.mailer.host", "127.0.0.1", "quarkus.mailer.port", Integer.toString(port));
  }

  @Override
  public void stop() {
    if (server != null) {
      server.stop();
      server = null;
    }
  }

  private static synchronized void startServer() {
    server = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    server.start();
  }

  /** Takes the SMTP server down: connections to its port are refused. */
  public static synchronized void down() {
    if (server != null) {
      EARLIER.addAll(Arrays.asList(server.getReceivedMessages()));
      server.stop();
      server = null;
    }
  }

  /** Brings it back on the same port. */
  public static synchronized void up() {
    if (server == null) {
      startServer();
    }
  }

  /** Every message received for this address, over every life of the server. */
  public static synchronized List<MimeMessage> messagesTo(String address) {
    List<MimeMessage> all = new ArrayList<>(EARLIER);
    if (server != null) {
      all.addAll(Arrays.asList(server.getReceivedMessages()));
    }
    return all.stream().filter(m -> addressedTo(m, address)).toList();
  }

  private static boolean addressedTo(MimeMessage m, String address) {
    try {
      return Arrays.stream(m.getRecipients(Message.RecipientType.TO))
          .anyMatch(a -> ((InternetAddress) a).getAddress().equalsIgnoreCase(address));
    } catch (MessagingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The text/plain part of a message. */
  public static String text(MimeMessage m) {
    return part(m, "text/plain");
  }

  /** The text/html part of a message. */
  public static String html(MimeMessage m) {
    return part(m, "text/html");
  }

  private static String part(MimeMessage m, String type) {
    try {
      Object content = m.getContent();
      if (content instanceof Multipart multipart) {
        String found = find(multipart, type);
        if (found != null) {
          return found;
        }
      } else if (m.isMimeType(type)) {
        return content.toString();
      }
      throw new AssertionError("no " + type + " part in " + m.getContentType());
    } catch (MessagingException e) {
      throw new IllegalStateException(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String find(Multipart multipart, String type)
      throws MessagingException, IOException {
    for (int i = 0; i < multipart.getCount(); i++) {
      BodyPart part = multipart.getBodyPart(i);
      if (part.isMimeType(type)) {
        return part.getContent().toString();
      }
      if (part.getContent() instanceof Multipart nested) {
        String found = find(nested, type);
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
