package dev.sequor.routing;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.sequor.contract.Variant;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which versions serve a model's users and in what shares: the one definition of the split that
 * the operator writes (a ConfigMap key, {@link #FILE_NAME}) and every router reads. Users are
 * assigned by {@link StickyAssignment}.
 *
 * @param formatVersion {@link #FORMAT_VERSION}; a router refuses a format it does not know
 * @param model the RecommenderModel's name (the {@code model} metric label)
 * @param salt the experiment's salt: a new salt re-draws every user, the same salt keeps them
 * @param variants exactly one {@link Variant#CHAMPION}; candidates in the order their bucket
 *        ranges are laid out
 * @param shadow optional mirroring to a candidate
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrafficSplit(int formatVersion, String model, String salt, List<Route> variants, Shadow shadow) {

    public static final int FORMAT_VERSION = 1;
    /** The ConfigMap key and file name the router reads. */
    public static final String FILE_NAME = "split.json";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT);

    public TrafficSplit {
        variants = variants == null ? List.of() : List.copyOf(variants);
    }

    /** One version serving everyone. */
    public static TrafficSplit single(String model, Route champion) {
        return new TrafficSplit(FORMAT_VERSION, model, model,
                List.of(new Route(Variant.CHAMPION, champion.version(), 100, champion.http(), champion.grpc())), null);
    }

    @JsonIgnore
    public Route champion() {
        return variant(Variant.CHAMPION).orElseThrow(() -> new InvalidSplitException(List.of("no champion variant")));
    }

    public Optional<Route> variant(String name) {
        return variants.stream().filter(r -> r.variant().equals(name)).findFirst();
    }

    /** Every problem that makes this split unusable; empty when it may be applied. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (formatVersion != FORMAT_VERSION) {
            problems.add("formatVersion " + formatVersion + " is not supported (this router reads " + FORMAT_VERSION + ")");
        }
        if (model == null || model.isBlank()) {
            problems.add("model is required");
        }
        if (salt == null || salt.isEmpty()) {
            problems.add("salt is required");
        }
        Set<String> names = new HashSet<>();
        int sum = 0;
        for (Route r : variants) {
            String name = r.variant();
            if (name == null || name.isBlank()) {
                problems.add("a variant has no name");
                continue;
            }
            if (!names.add(name)) {
                problems.add("variant " + name + " is listed twice");
            }
            if (r.weight() < 0 || r.weight() > 100) {
                problems.add("variant " + name + " has weight " + r.weight() + " (must be 0..100)");
            }
            if (r.version() == null) {
                problems.add("variant " + name + " has no version");
            }
            if (r.http() == null || r.http().isBlank() || r.grpc() == null || r.grpc().isBlank()) {
                problems.add("variant " + name + " needs both an http and a grpc address");
            }
            sum += r.weight();
        }
        if (!names.contains(Variant.CHAMPION)) {
            problems.add("no variant named " + Variant.CHAMPION);
        }
        if (!variants.isEmpty() && sum != 100) {
            problems.add("weights sum to " + sum + ", not 100");
        }
        if (shadow != null) {
            if (shadow.variant() == null || !names.contains(shadow.variant())) {
                problems.add("shadow variant " + shadow.variant() + " is not a variant of the split");
            } else if (shadow.variant().equals(Variant.CHAMPION)) {
                problems.add("the champion cannot shadow itself");
            }
            if (!(shadow.share() >= 0 && shadow.share() <= 1)) {
                problems.add("shadow share " + shadow.share() + " is out of range (must be 0..1)");
            }
        }
        return problems;
    }

    /** This split, or an {@link InvalidSplitException} listing everything wrong with it. */
    public TrafficSplit validated() {
        List<String> problems = problems();
        if (!problems.isEmpty()) {
            throw new InvalidSplitException(problems);
        }
        return this;
    }

    /** Reads and validates a split file. */
    public static TrafficSplit parse(byte[] json) {
        try {
            return JSON.readValue(json, TrafficSplit.class).validated();
        } catch (IOException e) {
            String message = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            throw new InvalidSplitException(List.of("not a traffic split: " + message));
        }
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
