package com.bookstore.catalog;

import com.bookstore.kit.Problem;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What buyers read, answered on the event loop (one query each):
 *
 * <ul>
 *   <li>{@code GET /books?q=...&limit=20&offset=0}: full-text search ranked by relevance (title
 *       matches first); without {@code q}, every book by title.
 *   <li>{@code GET /books/{isbn}}: one book, or 404.
 * </ul>
 */
@ApplicationScoped
public class BookRoutes {
  private final BookStore store;
  private final CatalogConfig.Search config;
  private final HttpReplies replies;

  BookRoutes(BookStore store, CatalogConfig config, HttpReplies replies) {
    this.store = store;
    this.config = config.search();
    this.replies = replies;
  }

  void routes(@Observes Router router) {
    router.get("/books").handler(this::search);
    router.get("/books/:isbn").handler(this::one);
  }

  private void search(RoutingContext ctx) {
    List<Problem.FieldError> errors = new ArrayList<>();
    String q = ctx.request().getParam("q");
    if (q != null && q.length() > config.maxQueryLength()) {
      errors.add(
          new Problem.FieldError(
              "query", "q", "must be at most " + config.maxQueryLength() + " characters"));
    }
    int limit = number(ctx, "limit", config.defaultLimit(), 1, config.maxLimit(), errors);
    int offset = number(ctx, "offset", 0, 0, config.maxOffset(), errors);
    if (!errors.isEmpty()) {
      replies.problem(ctx, CatalogProblems.invalidSearch(errors));
      return;
    }
    String query = q == null || q.isBlank() ? null : q.strip();
    (query == null ? store.browse(limit, offset) : store.search(query, limit, offset))
        .subscribe()
        .with(
            page ->
                replies.json(
                    ctx,
                    200,
                    new Views.SearchPage(
                        query,
                        limit,
                        offset,
                        page.total(),
                        page.hits().stream().map(Views.Hit::of).toList())),
            failure -> replies.failure(ctx, failure));
  }

  private void one(RoutingContext ctx) {
    String asked = ctx.pathParam("isbn");
    Optional<String> problem = Isbn.problem(asked);
    if (problem.isPresent()) {
      replies.problem(ctx, CatalogProblems.invalidIsbn(problem.get()));
      return;
    }
    String isbn = Isbn.normalize(asked);
    store
        .find(isbn)
        .subscribe()
        .with(
            book -> {
              if (book.isPresent()) {
                replies.json(ctx, 200, Views.BookView.of(book.get()));
              } else {
                replies.problem(ctx, CatalogProblems.bookNotFound(isbn));
              }
            },
            failure -> replies.failure(ctx, failure));
  }

  private static int number(
      RoutingContext ctx,
      String name,
      int fallback,
      int min,
      int max,
      List<Problem.FieldError> errors) {
    String text = ctx.request().getParam(name);
    if (text == null || text.isBlank()) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(text.strip());
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below, with the bounds
    }
    errors.add(
        new Problem.FieldError(
            "query", name, "must be a whole number from " + min + " to " + max + ", got " + text));
    return fallback;
  }
}
