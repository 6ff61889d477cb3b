"""A classroom on one machine: JupyterHub with the Shoal kernel (`make hub`).

- one Unix user per learner (learner01, learner02, ...), made the first time
  the learner's server starts, with the lessons copied into ~/lessons (never
  over the learner's own copies) and the EfficientNet-Lite0 weights linked
  from one shared, read-only copy;
- one password for the class (SharedPasswordAuthenticator), printed by
  `make hub`; only the learner names listed here can log in;
- a memory limit per learner (`Spawner.mem_limit`, 2.5 GiB by default): the
  server passes it to its kernels as MEM_LIMIT; a Shoal kernel that goes past
  it tells the running cell and exits, and the server restarts it;
- the hub listens on 127.0.0.1 only: for a real class put it behind a TLS
  proxy, or use Zero to JupyterHub on Kubernetes (docs/classroom.md).

Settings come from the environment (the Makefile sets them):
SHOAL_HUB_LEARNERS (30), SHOAL_HUB_PORT (8000), SHOAL_HUB_MEM_LIMIT (2560M),
SHOAL_HUB_PASSWORD, SHOAL_HUB_API_TOKEN (for the load script's admin
service), SHOAL_HUB_STATE (the folder for the hub's database and secrets).
"""
import glob
import os
import pwd
import shutil
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
LEARNERS = int(os.environ.get("SHOAL_HUB_LEARNERS", "30"))
PORT = int(os.environ.get("SHOAL_HUB_PORT", "8000"))
STATE = os.path.abspath(os.environ.get("SHOAL_HUB_STATE", os.path.join(ROOT, ".hub")))
WEIGHTS = os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "shoal",
                       "efficientnet-lite0.safetensors")

c = get_config()  # noqa: F821 (JupyterHub's config loader provides it)

os.makedirs(STATE, exist_ok=True)
c.JupyterHub.bind_url = f"http://127.0.0.1:{PORT}"
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = PORT + 1
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{PORT + 2}"
c.ConfigurableHTTPProxy.command = [os.path.join(ROOT, ".venv-hub", "bin", "configurable-http-proxy")]
c.ConfigurableHTTPProxy.pid_file = os.path.join(STATE, "proxy.pid")
c.JupyterHub.db_url = f"sqlite:///{STATE}/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = os.path.join(STATE, "cookie_secret")
c.JupyterHub.cleanup_servers = True

# One password for the class, and the learners' names.
c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = os.environ["SHOAL_HUB_PASSWORD"]
c.Authenticator.allowed_users = {f"learner{i:02d}" for i in range(1, LEARNERS + 1)}

# The load script (hub/bench.py) logs learners in and drives their servers
# through the REST API with this service's token.
if os.environ.get("SHOAL_HUB_API_TOKEN"):
    c.JupyterHub.services = [{"name": "shoal-bench", "api_token": os.environ["SHOAL_HUB_API_TOKEN"]}]
    c.JupyterHub.load_roles = [{"name": "shoal-bench", "services": ["shoal-bench"],
                                "scopes": ["admin:users", "admin:servers", "tokens", "access:servers", "list:users"]}]

# Each learner's server: JupyterLab, as the learner's own Unix user.
c.JupyterHub.spawner_class = "localprocess"
c.Spawner.cmd = [os.path.join(ROOT, ".venv-hub", "bin", "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab/tree/lessons"
c.Spawner.mem_limit = os.environ.get("SHOAL_HUB_MEM_LIMIT", "2560M")
c.Spawner.start_timeout = 300
c.Spawner.http_timeout = 300


def shared_weights():
    """One copy of the pretrained weights every learner may read."""
    if not os.path.exists(WEIGHTS):
        return None
    shared = os.path.join(STATE, "shared")
    target = os.path.join(shared, os.path.basename(WEIGHTS))
    if not os.path.exists(target) or os.path.getsize(target) != os.path.getsize(WEIGHTS):
        os.makedirs(shared, exist_ok=True)
        shutil.copyfile(WEIGHTS, target + ".part")
        os.replace(target + ".part", target)
    os.chmod(STATE, 0o755)
    os.chmod(shared, 0o755)
    os.chmod(target, 0o644)
    return target


def prepare_learner(spawner):
    """The learner's Unix user, home, lessons and weights (run by the hub, as root)."""
    name = spawner.user.name
    try:
        pwd.getpwnam(name)
    except KeyError:
        subprocess.run(["useradd", "--create-home", "--shell", "/usr/sbin/nologin", name], check=True)
    account = pwd.getpwnam(name)
    lessons = os.path.join(account.pw_dir, "lessons")
    os.makedirs(lessons, exist_ok=True)
    for lesson in glob.glob(os.path.join(ROOT, "lessons", "*.ipynb")):
        mine = os.path.join(lessons, os.path.basename(lesson))
        if not os.path.exists(mine):
            shutil.copyfile(lesson, mine)
    weights = shared_weights()
    cache = os.path.join(account.pw_dir, ".cache", "shoal")
    os.makedirs(cache, exist_ok=True)
    link = os.path.join(cache, "efficientnet-lite0.safetensors")
    if weights and not os.path.lexists(link):
        os.symlink(weights, link)
    for folder, _, files in os.walk(account.pw_dir):
        os.chown(folder, account.pw_uid, account.pw_gid)
        for f in files:
            os.lchown(os.path.join(folder, f), account.pw_uid, account.pw_gid)


c.Spawner.pre_spawn_hook = prepare_learner
