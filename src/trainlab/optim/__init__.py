"""Optimizers (the book's six) and learning-rate schedules."""
from trainlab.optim.optimizers import (OPTIMIZERS, AdaGrad, Adam, Momentum, Nesterov, Optimizer,
                                       RMSprop, SGD, make_optimizer, optimizer_class)
from trainlab.optim.schedules import (SCHEDULES, ConstantLR, CosineDecay, ExponentialDecay,
                                      Schedule, StepDecay, make_schedule)

__all__ = ["Optimizer", "SGD", "Momentum", "Nesterov", "AdaGrad", "RMSprop", "Adam", "OPTIMIZERS",
           "make_optimizer", "optimizer_class", "SCHEDULES", "Schedule", "ConstantLR", "StepDecay", "ExponentialDecay",
           "CosineDecay", "make_schedule"]
