package io.ivsstageevents.ivsapi;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One page of a List operation's answer: its items as JSON objects, exactly as the service sent them, and the
 * token of the next page.
 */
public final class ApiPage {
    private final List<Map<String, Object>> items;
    private final String nextToken;

    private ApiPage(Builder builder) {
        this.items = Collections.unmodifiableList(new ArrayList<>(builder.items));
        this.nextToken = builder.nextToken == null || builder.nextToken.isEmpty() ? null : builder.nextToken;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Every item of a list, page after page, until a page comes without a token. For lists known to be small
     * (one participant's events); a reader that must checkpoint between pages calls the operation itself.
     */
    public static List<Map<String, Object>> collectAll(Function<String, ApiPage> pageAfter) {
        List<Map<String, Object>> all = new ArrayList<>();
        String token = null;
        do {
            ApiPage page = pageAfter.apply(token);
            all.addAll(page.items());
            token = page.nextToken();
        } while (token != null);
        return all;
    }

    /** The list's items on this page (stages, stageSessions, participants or events), in the service's order. */
    public List<Map<String, Object>> items() {
        return items;
    }

    /** The token to ask for the next page with; null on the last page (also when the service sent ""). */
    public String nextToken() {
        return nextToken;
    }

    public static final class Builder {
        private List<Map<String, Object>> items = List.of();
        private String nextToken;

        private Builder() {
        }

        public Builder items(List<Map<String, Object>> items) {
            this.items = items;
            return this;
        }

        public Builder nextToken(String nextToken) {
            this.nextToken = nextToken;
            return this;
        }

        public ApiPage build() {
            return new ApiPage(this);
        }
    }
}
