package dev.paint.shared.event;

/**
 * Accuracy of one task, in percent, for the base model (alpha 0), the fine-tuned model (alpha 1) and the chosen
 * candidate, on the validation and the test split. Test accuracies are reported only, never used to choose alpha.
 */
public record TaskAccuracy(
    double baseValidation,
    double fineTunedValidation,
    double patchedValidation,
    double baseTest,
    double fineTunedTest,
    double patchedTest) {}
