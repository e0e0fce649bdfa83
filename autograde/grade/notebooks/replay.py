"""A hang or a crash costs only the cells that depend on it: nbgrader's Execute step, with a restart and a replay.

nbgrader (like otter) loses the rest of a notebook when one cell hangs past the time limit or kills its kernel:
the kernel is stuck or gone, and every later cell fails. `ReplayingExecute` replaces nbgrader's `Execute` in the
runner: after such a cell it restarts the kernel, runs the cells before it again (their outputs are not kept,
and any other cell that hung or crashed is skipped), and goes on with the next cell. Later cells that do not need
what the lost cell would have computed keep their points; the lost cell keeps its error, which says what
happened.
"""
import copy

from jupyter_core.utils import run_sync
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat.v4 import new_output
from nbgrader.preprocessors import Execute

TIMEOUT_ERROR = "CellTimeoutError"


def _timed_out(cell):
    return any(output.get("output_type") == "error" and output.get("ename") == TIMEOUT_ERROR
               for output in cell.get("outputs", []))


class ReplayingExecute(Execute):
    """nbgrader's Execute, which restarts the kernel and replays the earlier cells after a cell that hung or killed
    the kernel, then carries on with the rest of the notebook."""

    def preprocess(self, nb, resources=None, km=None):
        self._lost_cells = set()
        return super().preprocess(nb, resources, km=km)

    def preprocess_cell(self, cell, resources, index):
        try:
            cell, resources = super().preprocess_cell(cell, resources, index)
        except DeadKernelError:
            cell.outputs.append(new_output(
                "error", ename="DeadKernelError", evalue="the kernel died while running this cell",
                traceback=["DeadKernelError: the kernel died while running this cell (os._exit, a crash or running "
                           "out of memory); the grader restarted it and ran the cells before this one again"]))
            self._recover(index)
            return cell, self.resources
        except CellTimeoutError:
            # The kernel ignored the interrupt (a loop that blocks SIGINT): nbclient gives up on the cell.
            cell.outputs.append(new_output(
                "error", ename=TIMEOUT_ERROR, evalue="the cell did not finish within the time limit per cell",
                traceback=[f"{TIMEOUT_ERROR}: the cell did not finish within the time limit per cell and ignored the "
                           "interrupt; the grader restarted the kernel and ran the cells before this one again"]))
            self._recover(index)
            return cell, self.resources
        if _timed_out(cell):
            self._recover(index)
        return cell, resources

    def _recover(self, lost_index):
        """Restart the kernel and run the cells before `lost_index` again, except those lost before."""
        self._lost_cells.add(lost_index)
        self.log.warning("cell %d hung or killed the kernel: restarting the kernel and replaying the cells before it",
                         lost_index)
        run_sync(self.km.restart_kernel)(now=True)
        self.kc.stop_channels()
        run_sync(self.async_start_new_kernel_client)()
        for index, cell in enumerate(self.nb.cells[:lost_index]):
            if cell.cell_type != "code" or index in self._lost_cells:
                continue
            replayed = copy.deepcopy(cell)
            try:
                self.execute_cell(replayed, index, store_history=False)
            except CellTimeoutError:
                self._lost_cells.add(index)
                return self._recover(lost_index)
            except DeadKernelError:
                self._lost_cells.add(index)
                run_sync(self.km.restart_kernel)(now=True)
                self.kc.stop_channels()
                run_sync(self.async_start_new_kernel_client)()
                continue
            if _timed_out(replayed):
                self._lost_cells.add(index)
                return self._recover(lost_index)
