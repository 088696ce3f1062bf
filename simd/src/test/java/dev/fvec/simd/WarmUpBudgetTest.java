package dev.fvec.simd;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The warm-up's phase 1 budget: the base cap, and the extension while the JIT makes progress. */
class WarmUpBudgetTest {

    @Test
    void stopsAtTheBudgetWhenStalled() {
        assertTrue(VectorWarmUp.withinBudget(VectorWarmUp.BUDGET_NANOS - 1, VectorWarmUp.BUDGET_NANOS, false));
        assertFalse(VectorWarmUp.withinBudget(VectorWarmUp.BUDGET_NANOS, VectorWarmUp.BUDGET_NANOS, false));
    }

    @Test
    void goesOnPastTheBudgetWhileProgressingUpToTheMaximum() {
        assertTrue(VectorWarmUp.withinBudget(VectorWarmUp.BUDGET_NANOS, VectorWarmUp.BUDGET_NANOS, true));
        assertTrue(VectorWarmUp.withinBudget(VectorWarmUp.MAX_BUDGET_NANOS - 1, VectorWarmUp.BUDGET_NANOS, true));
        assertFalse(VectorWarmUp.withinBudget(VectorWarmUp.MAX_BUDGET_NANOS, VectorWarmUp.BUDGET_NANOS, true));
        assertTrue(VectorWarmUp.MAX_BUDGET_NANOS > VectorWarmUp.BUDGET_NANOS);
    }

    @Test
    void theProjectionsWarmUpExtendsItsOwnBudgetAlike() {
        long budget = ProjectionWarmUp.BUDGET_NANOS;
        assertTrue(VectorWarmUp.withinBudget(budget - 1, budget, false));
        assertFalse(VectorWarmUp.withinBudget(budget, budget, false));
        assertTrue(VectorWarmUp.withinBudget(3 * budget - 1, budget, true));
        assertFalse(VectorWarmUp.withinBudget(3 * budget, budget, true));
    }
}
