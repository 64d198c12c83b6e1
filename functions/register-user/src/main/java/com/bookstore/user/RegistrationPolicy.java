package com.bookstore.user;

import com.bookstore.events.user.RegisterUser;
import com.bookstore.events.user.UserRegistrationRejected;
import com.bookstore.events.user.UserRegistrationRejected.Reason;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** The business rules of a registration: a usable e-mail address and a strong password. */
public final class RegistrationPolicy {

  // Deliberately plain: one @, a dotted domain, no spaces. Deliverability is proven by e-mail.
  private static final Pattern EMAIL =
      Pattern.compile("^[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}$");

  private final int minPasswordLength;

  public RegistrationPolicy(int minPasswordLength) {
    this.minPasswordLength = minPasswordLength;
  }

  public static String normalize(String email) {
    return email.trim().toLowerCase(Locale.ROOT);
  }

  /** Empty when the command may proceed; otherwise the rejection to answer with. */
  public Optional<UserRegistrationRejected> check(RegisterUser command) {
    String email = command.email().trim();
    if (email.length() > 254 || !EMAIL.matcher(email).matches()) {
      return reject(command, Reason.INVALID_EMAIL, "the e-mail address is not valid");
    }
    String password = command.password();
    if (password.length() < minPasswordLength) {
      return reject(
          command,
          Reason.WEAK_PASSWORD,
          "the password must have at least " + minPasswordLength + " characters");
    }
    if (characterClasses(password) < 3 && password.length() < 2 * minPasswordLength) {
      return reject(
          command,
          Reason.WEAK_PASSWORD,
          "the password needs three of: lower case, upper case, digits, symbols (or twice the"
              + " length)");
    }
    String local = normalize(email).substring(0, email.indexOf('@'));
    if (local.length() >= 4 && password.toLowerCase(Locale.ROOT).contains(local)) {
      return reject(command, Reason.WEAK_PASSWORD, "the password must not contain the e-mail name");
    }
    return Optional.empty();
  }

  private static int characterClasses(String password) {
    boolean lower = false, upper = false, digit = false, other = false;
    for (int i = 0; i < password.length(); i++) {
      char c = password.charAt(i);
      if (Character.isLowerCase(c)) {
        lower = true;
      } else if (Character.isUpperCase(c)) {
        upper = true;
      } else if (Character.isDigit(c)) {
        digit = true;
      } else {
        other = true;
      }
    }
    return (lower ? 1 : 0) + (upper ? 1 : 0) + (digit ? 1 : 0) + (other ? 1 : 0);
  }

  private static Optional<UserRegistrationRejected> reject(
      RegisterUser command, Reason reason, String message) {
    return Optional.of(new UserRegistrationRejected(command.email(), reason, message));
  }
}
