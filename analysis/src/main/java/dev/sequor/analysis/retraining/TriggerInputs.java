package dev.sequor.analysis.retraining;

import dev.sequor.analysis.rollout.Observation;

/**
 * One look's readings.
 *
 * @param metric the metric trigger's query result; null when there is no metric trigger
 * @param newEvents feedback events since {@link TriggerState#dataSince()}; null when there is no data-volume trigger
 * @param manual a person asked for a run (the annotation)
 * @param runInProgress a training Job of the model has not finished
 */
public record TriggerInputs(Observation metric, Observation newEvents, boolean manual, boolean runInProgress) {
}
