package com.bookstore.deploy;

/**
 * Where function images come from: {@code <registry>/bookstore/<function>:<tag>}, the name the
 * parent pom's {@code images} profile pushes (group {@code bookstore}, tag the project version).
 */
public record Images(String registry, String tag) {

  /** A placeholder the committed manifests carry; kustomize or the tool's options replace it. */
  public static final Images PLACEHOLDER = new Images("registry.example.com", "0.1.0-SNAPSHOT");

  public static final String GROUP = "bookstore";

  public String repository(String function) {
    return registry + "/" + GROUP + "/" + function;
  }

  public String image(String function) {
    return repository(function) + ":" + tag;
  }
}
