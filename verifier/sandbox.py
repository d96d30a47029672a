"""The one place untrusted code runs (contract: every gate, check and worker command uses it).

CONTRACT (implementation pending in this module; keep these names and signatures):

    @dataclass(frozen=True)
    class Limits:
        cpu_s: int = 60; memory_mb: int = 1024; file_size_mb: int = 64
        open_files: int = 256; processes: int = 64

    class SandboxResult(BaseModel):
        exit_code: int | None      # None when killed by timeout
        stdout: str; stderr: str   # capped, with a truncation marker
        timed_out: bool
        isolation: str             # "bwrap" | "netns" | "rlimits"
        elapsed_ms: float
        truncated: bool

    def run(cmd: str | list[str], *, workdir: Path, stdin: str | None = None,
            env: dict[str, str] | None = None, timeout_s: float = 30.0,
            limits: Limits = Limits(), network: bool = False,
            output_cap: int = 30_000) -> SandboxResult
    async def run_async(... same ...) -> SandboxResult

``cmd`` as a string runs under ``sh -c``. The command sees ``workdir`` as its
current directory (bound read-write); the environment is scrubbed (no variable whose
name contains KEY, TOKEN or SECRET; a temporary HOME); stdin is /dev/null unless given.
"""
