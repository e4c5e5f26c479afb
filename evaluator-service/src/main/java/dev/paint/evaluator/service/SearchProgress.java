package dev.paint.evaluator.service;

import dev.paint.evaluator.selection.ValidationCurves;
import dev.paint.shared.event.Candidate;
import dev.paint.shared.event.TaskRole;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Measurements of a coarse-to-fine search up to one round, stored as that round's stage record so that a restart or a
 * redelivered event neither loses nor repeats an evaluation.
 *
 * @param round the last round measured, 0 before the first
 * @param measured every candidate evaluated so far, sorted by alpha, with its validation accuracy (percent) per task
 * @param referenceAccuracy per supported task, the lineage's first version's validation accuracy; null before round 1
 */
public record SearchProgress(int round, List<MeasuredCandidate> measured, Map<String, Double> referenceAccuracy) {

  public SearchProgress {
    measured = measured.stream().sorted(Comparator.comparingDouble(m -> m.candidate().alpha())).toList();
  }

  static SearchProgress start() {
    return new SearchProgress(0, List.of(), null);
  }

  /** Returns whether a candidate with this alpha was evaluated in an earlier round. */
  boolean measuredAlpha(double alpha) {
    return measured.stream().anyMatch(m -> m.candidate().alpha() == alpha);
  }

  SearchProgress plus(int nextRound, List<MeasuredCandidate> added, Map<String, Double> reference) {
    List<MeasuredCandidate> all = new ArrayList<>(measured);
    all.addAll(added);
    return new SearchProgress(nextRound, all, reference);
  }

  List<Candidate> candidates() {
    return measured.stream().map(MeasuredCandidate::candidate).toList();
  }

  ValidationCurves curves(Map<String, TaskRole> roles) {
    SortedMap<Double, Map<String, Double>> points = new TreeMap<>();
    measured.forEach(m -> points.put(m.candidate().alpha(), m.validationAccuracy()));
    return ValidationCurves.of(points, roles, referenceAccuracy == null ? Map.of() : referenceAccuracy);
  }

  /** One evaluated candidate: the checkpoint that was downloaded and verified, and its validation accuracy per task. */
  public record MeasuredCandidate(Candidate candidate, Map<String, Double> validationAccuracy) {}
}
