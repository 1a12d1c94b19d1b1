from newsint.cli import app

app(prog_name="newsint")
