package dev.sequor.runtime.config;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

/** The MLflow tracking server packages are read through (MLFLOW_TRACKING_* in the environment). */
@ConfigMapping(prefix = "mlflow.tracking")
public interface MlflowConfig {

    Optional<String> uri();

    Optional<String> token();

    Optional<String> username();

    Optional<String> password();
}
