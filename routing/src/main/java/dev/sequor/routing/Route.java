package dev.sequor.routing;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One variant of a split: which version serves it, its share of users, and where its predictor
 * answers.
 *
 * @param variant the variant's name (the {@code variant} metric label): {@code champion}, or a
 *        candidate's name such as {@code candidate}, {@code b}
 * @param version the registry version its predictor serves (the {@code version} metric label)
 * @param weight percent of users (0..100) assigned to it; the weights of a split sum to 100
 * @param http base URL of the predictor's HTTP port, e.g. {@code http://games-v7:8080}
 * @param grpc the predictor's gRPC address, {@code host:port}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Route(String variant, String version, int weight, String http, String grpc) {

    public Route withWeight(int newWeight) {
        return new Route(variant, version, newWeight, http, grpc);
    }
}
