"""Solver: trains a classification model with minibatch gradient descent and one of the rules in optim.

A model is any object with
- model.params: a dict mapping parameter names to arrays;
- model.loss(X, y=None): with y, returns (loss, grads) with grads keyed like params; without y, returns
  class scores of shape (N, C).

Example:

    data = get_CIFAR10_data()
    model = FullyConnectedNet([100], weight_scale=1e-2)
    solver = Solver(model, data, update_rule="sgd", optim_config={"learning_rate": 1e-3},
                    lr_decay=0.95, num_epochs=5, batch_size=200, print_every=100)
    solver.train()

After train(), model.params holds the parameters that reached the best validation accuracy, and
solver.loss_history, solver.train_acc_history and solver.val_acc_history hold the curves to plot.
"""

import copy
import pickle

import numpy as np
from tqdm.auto import tqdm

from course_lib import _validate, optim

UPDATE_RULES = tuple(_validate.UPDATE_RULES)

DEFAULT_SETTINGS = {
    "update_rule": "sgd",
    "optim_config": None,
    "lr_decay": 1.0,
    "batch_size": 100,
    "num_epochs": 10,
    "num_train_samples": 1000,
    "num_val_samples": None,
    "checkpoint_name": None,
    "print_every": 10,
    "verbose": True,
    "progress": False,
    "callbacks": (),
}

# Settings a checkpoint remembers, so that Solver.from_checkpoint resumes with the same ones unless told otherwise.
_RESUMED_SETTINGS = (
    "optim_config", "lr_decay", "batch_size", "num_epochs", "num_train_samples", "num_val_samples",
)

# Model attributes that hold state outside params (batchnorm running averages, dropout settings).
_MODEL_STATE_ATTRIBUTES = ("bn_params", "dropout_param")

_DATA_KEYS = ("X_train", "y_train", "X_val", "y_val")


class Solver:
    """Trains a model on data with minibatch stochastic gradient descent.

    Attributes that train() fills in:
    - loss_history: the loss of every iteration.
    - train_acc_history, val_acc_history: accuracies after the first iteration and at the end of every epoch.
    - best_val_acc, best_params: the best validation accuracy and a copy of model.params when it was reached.
    - epoch: the number of epochs completed; iteration: the number of iterations completed.
    """

    def __init__(self, model, data, **kwargs):
        """
        Inputs:
        - model: an object with `params` and `loss(X, y=None)` as described in the module docstring.
        - data: a dict with X_train (N_train, ...), y_train (N_train,), X_val (N_val, ...), y_val (N_val,).

        Optional keyword arguments:
        - update_rule: the name of a rule in course_lib.optim ("sgd", "sgd_momentum", "sgd_nesterov_momentum",
          "rmsprop", "adam") or a callable with the same signature. Default "sgd".
        - optim_config: dict of hyperparameters for the update rule (e.g. {"learning_rate": 1e-3}); every
          parameter gets its own deep copy, which the rule also uses to keep its state.
        - lr_decay: the learning rate is multiplied by this after every epoch. Default 1.0.
        - batch_size: examples per minibatch. Default 100.
        - num_epochs: epochs to train for. Default 10.
        - num_train_samples: training examples sampled to estimate the training accuracy; None uses all.
          Default 1000.
        - num_val_samples: validation examples sampled to estimate the validation accuracy; None uses all.
        - checkpoint_name: when given, a checkpoint is written to f"{checkpoint_name}_epoch_{epoch}.pkl" after
          the first iteration and at the end of every epoch; load it with Solver.from_checkpoint.
        - print_every: print the loss every this many iterations when verbose. Default 10.
        - verbose: print progress. Default True.
        - progress: show a tqdm progress bar with the current loss (it writes to stderr). Default False.
        - callbacks: callables called as callback(solver, event), where event is "iteration" after every
          update and "epoch" after every accuracy check (after the first iteration and at each epoch's end).
        """
        unknown = sorted(set(kwargs) - set(DEFAULT_SETTINGS))
        if unknown:
            raise TypeError(
                f"Solver: unrecognized keyword arguments {unknown}; the allowed ones are {sorted(DEFAULT_SETTINGS)}."
            )
        missing = [key for key in _DATA_KEYS if key not in data]
        if missing:
            raise ValueError(f"Solver: data is missing {missing}; it must be a dict with keys {list(_DATA_KEYS)}.")
        settings = {**DEFAULT_SETTINGS, **kwargs}

        self.model = model
        self.X_train, self.y_train = data["X_train"], data["y_train"]
        self.X_val, self.y_val = data["X_val"], data["y_val"]

        update_rule = settings["update_rule"]
        if isinstance(update_rule, str):
            if update_rule not in UPDATE_RULES:
                raise ValueError(
                    f"Solver: unknown update_rule {update_rule!r}; use one of {list(UPDATE_RULES)} or pass a callable."
                )
            self.update_rule_name = update_rule
            self.update_rule = getattr(optim, update_rule)
        elif callable(update_rule):
            self.update_rule_name = getattr(update_rule, "__name__", repr(update_rule))
            self.update_rule = update_rule
        else:
            raise ValueError(
                f"Solver: update_rule must be one of {list(UPDATE_RULES)} or a callable, got {update_rule!r}."
            )
        callbacks = list(settings["callbacks"])
        not_callable = [callback for callback in callbacks if not callable(callback)]
        if not_callable:
            raise ValueError(f"Solver: every callback must be callable as callback(solver, event); got {not_callable}.")
        if settings["batch_size"] < 1:
            raise ValueError(f"Solver: batch_size must be a positive integer, got {settings['batch_size']}.")

        self.optim_config = dict(settings["optim_config"] or {})
        self.lr_decay = settings["lr_decay"]
        self.batch_size = settings["batch_size"]
        self.num_epochs = settings["num_epochs"]
        self.num_train_samples = settings["num_train_samples"]
        self.num_val_samples = settings["num_val_samples"]
        self.checkpoint_name = settings["checkpoint_name"]
        self.print_every = settings["print_every"]
        self.verbose = settings["verbose"]
        self.progress = settings["progress"]
        self.callbacks = callbacks
        self._progress_bar = None

        self._reset()

    def _reset(self):
        """Set up the bookkeeping of a fresh run."""
        self.epoch = 0
        self.iteration = 0
        self.best_val_acc = 0.0
        self.best_params = {}
        self.loss_history = []
        self.train_acc_history = []
        self.val_acc_history = []
        self.optim_configs = {name: copy.deepcopy(self.optim_config) for name in self.model.params}

    def _step(self):
        """Make one gradient update on a random minibatch. Called by train()."""
        num_train = self.X_train.shape[0]
        batch_indices = np.random.choice(num_train, self.batch_size)
        X_batch, y_batch = self.X_train[batch_indices], self.y_train[batch_indices]

        loss, grads = self.model.loss(X_batch, y_batch)
        self.loss_history.append(float(loss))

        for name, value in self.model.params.items():
            next_value, next_config = self.update_rule(value, grads[name], self.optim_configs[name])
            self.model.params[name] = next_value
            self.optim_configs[name] = next_config

    def check_accuracy(self, X, y, num_samples=None, batch_size=100):
        """Return the fraction of examples that the model classifies correctly.

        Inputs:
        - X: (N, d_1, ..., d_k) examples; y: (N,) labels.
        - num_samples: when given and smaller than N, estimate the accuracy on this many examples drawn at random.
        - batch_size: examples per call to model.loss, to bound memory.
        """
        num_examples = X.shape[0]
        if num_samples is not None and num_examples > num_samples:
            sample = np.random.choice(num_examples, num_samples)
            X, y = X[sample], y[sample]
            num_examples = num_samples

        predictions = [
            np.argmax(self.model.loss(X[start:start + batch_size]), axis=1)
            for start in range(0, num_examples, batch_size)
        ]
        return float(np.mean(np.concatenate(predictions) == y))

    def train(self):
        """Run the optimization until num_epochs are done, then put the best parameters into model.params.

        Calling train() on a solver restored from a checkpoint continues where the checkpoint left off.
        """
        num_train = self.X_train.shape[0]
        iterations_per_epoch = max(num_train // self.batch_size, 1)
        num_iterations = self.num_epochs * iterations_per_epoch

        self._progress_bar = tqdm(
            total=num_iterations, initial=self.iteration, disable=not self.progress, desc="Solver", unit="it"
        )
        try:
            for t in range(self.iteration, num_iterations):
                self._step()
                self.iteration = t + 1
                self._progress_bar.update(1)
                self._progress_bar.set_postfix(loss=f"{self.loss_history[-1]:.4f}", refresh=False)
                if self.verbose and t % self.print_every == 0:
                    self._print(f"(Iteration {t + 1} / {num_iterations}) loss: {self.loss_history[-1]:f}")
                self._notify("iteration")

                epoch_end = (t + 1) % iterations_per_epoch == 0
                if epoch_end:
                    self.epoch += 1
                    for config in self.optim_configs.values():
                        config["learning_rate"] *= self.lr_decay

                if t == 0 or t == num_iterations - 1 or epoch_end:
                    self._record_accuracies()
        finally:
            self._progress_bar.close()
            self._progress_bar = None

        if self.best_params:
            self.model.params = {name: value.copy() for name, value in self.best_params.items()}

    def _record_accuracies(self):
        """Measure and store the training and validation accuracy, keep the best parameters, checkpoint."""
        train_acc = self.check_accuracy(self.X_train, self.y_train, num_samples=self.num_train_samples)
        val_acc = self.check_accuracy(self.X_val, self.y_val, num_samples=self.num_val_samples)
        self.train_acc_history.append(train_acc)
        self.val_acc_history.append(val_acc)
        if self.verbose:
            self._print(f"(Epoch {self.epoch} / {self.num_epochs}) train acc: {train_acc:f}; val_acc: {val_acc:f}")
        if val_acc > self.best_val_acc or not self.best_params:
            self.best_val_acc = val_acc
            self.best_params = {name: value.copy() for name, value in self.model.params.items()}
        self._save_checkpoint()
        self._notify("epoch")

    def _print(self, message):
        if self._progress_bar is not None and not self._progress_bar.disable:
            self._progress_bar.write(message)
        else:
            print(message)

    def _notify(self, event):
        for callback in self.callbacks:
            callback(self, event)

    def checkpoint(self):
        """Return the state a checkpoint holds, as a dict of plain Python and numpy objects.

        Keys: model_params, model_state (the model's bn_params / dropout_param when it has them), update_rule
        (its name), optim_config, optim_configs (per parameter, with the rule's state), lr_decay, batch_size,
        num_epochs, num_train_samples, num_val_samples, epoch, iteration, loss_history, train_acc_history,
        val_acc_history, best_val_acc, best_params and rng_state (numpy's global random state, so that a resumed
        run draws the same minibatches and dropout masks as an uninterrupted one).
        """
        model_state = {
            attribute: copy.deepcopy(getattr(self.model, attribute))
            for attribute in _MODEL_STATE_ATTRIBUTES
            if hasattr(self.model, attribute)
        }
        return {
            "model_params": {name: value.copy() for name, value in self.model.params.items()},
            "model_state": model_state,
            "update_rule": self.update_rule_name,
            "optim_config": copy.deepcopy(self.optim_config),
            "optim_configs": copy.deepcopy(self.optim_configs),
            "lr_decay": self.lr_decay,
            "batch_size": self.batch_size,
            "num_epochs": self.num_epochs,
            "num_train_samples": self.num_train_samples,
            "num_val_samples": self.num_val_samples,
            "epoch": self.epoch,
            "iteration": self.iteration,
            "loss_history": list(self.loss_history),
            "train_acc_history": list(self.train_acc_history),
            "val_acc_history": list(self.val_acc_history),
            "best_val_acc": self.best_val_acc,
            "best_params": {name: value.copy() for name, value in self.best_params.items()},
            "rng_state": np.random.get_state(),
        }

    def _save_checkpoint(self):
        if self.checkpoint_name is None:
            return
        filename = f"{self.checkpoint_name}_epoch_{self.epoch}.pkl"
        if self.verbose:
            self._print(f'Saving checkpoint to "{filename}"')
        with open(filename, "wb") as checkpoint_file:
            pickle.dump(self.checkpoint(), checkpoint_file)

    def load_checkpoint(self, path, restore_rng=True):
        """Restore model parameters, optimizer state, histories and counters from a checkpoint file.

        Only load files you trust: checkpoints are pickles. With restore_rng, numpy's global random state is set
        to the one saved in the checkpoint, so that train() continues exactly like the uninterrupted run.
        """
        state = _read_checkpoint(path)
        expected, found = set(self.model.params), set(state["model_params"])
        if expected != found:
            raise ValueError(
                f"Solver.load_checkpoint: {path} holds parameters {sorted(found)} but the model has "
                f"{sorted(expected)}; build the model with the same architecture as the checkpointed one."
            )
        self.model.params = {name: value.copy() for name, value in state["model_params"].items()}
        for attribute, value in state["model_state"].items():
            setattr(self.model, attribute, copy.deepcopy(value))
        self.optim_configs = copy.deepcopy(state["optim_configs"])
        self.epoch = state["epoch"]
        self.iteration = state["iteration"]
        self.loss_history = list(state["loss_history"])
        self.train_acc_history = list(state["train_acc_history"])
        self.val_acc_history = list(state["val_acc_history"])
        self.best_val_acc = state["best_val_acc"]
        self.best_params = {name: value.copy() for name, value in state["best_params"].items()}
        if restore_rng:
            np.random.set_state(state["rng_state"])

    @classmethod
    def from_checkpoint(cls, path, model, data, restore_rng=True, **kwargs):
        """Build a Solver for model and data that resumes training from the checkpoint at path.

        The solver takes update_rule (when it is one of the named rules), optim_config, lr_decay, batch_size,
        num_epochs, num_train_samples and num_val_samples from the checkpoint unless kwargs give them; pass a larger
        num_epochs to train for longer. model must have the checkpointed architecture; its parameters are replaced.
        """
        state = _read_checkpoint(path)
        if "update_rule" not in kwargs:
            if state["update_rule"] not in UPDATE_RULES:
                raise ValueError(
                    f"Solver.from_checkpoint: {path} was trained with the custom update rule "
                    f"{state['update_rule']!r}; pass it again as update_rule=..."
                )
            kwargs["update_rule"] = state["update_rule"]
        for setting in _RESUMED_SETTINGS:
            kwargs.setdefault(setting, state[setting])
        solver = cls(model, data, **kwargs)
        solver.load_checkpoint(path, restore_rng=restore_rng)
        return solver


def _read_checkpoint(path):
    with open(path, "rb") as checkpoint_file:
        state = pickle.load(checkpoint_file)
    if not isinstance(state, dict) or "model_params" not in state:
        raise ValueError(f"Solver: {path} is not a checkpoint written by Solver (no 'model_params' in it).")
    return state
