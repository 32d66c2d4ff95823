import os
from pathlib import Path

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from officers.services import officers_import
from officers.sheets import ImportRejected


class Command(BaseCommand):
    help = "Import officers from an .xlsx or .csv sheet: all rows or none."

    def add_arguments(self, parser):
        parser.add_argument("sheet", type=Path)
        parser.add_argument(
            "--initial-password-env",
            metavar="VARIABLE",
            help="环境变量名：其值作为新民警的初始密码（首次登录须修改）。密码不写在命令行上，以免留在进程列表和历史记录中。",
        )

    def handle(self, *args, sheet: Path, **options):
        if not sheet.exists():
            raise CommandError(f"找不到文件：{sheet}")
        initial_password = None
        if variable := options["initial_password_env"]:
            initial_password = os.environ.get(variable)
            if not initial_password:
                raise CommandError(f"环境变量 {variable} 未设置或为空。")
            try:
                password_validation.validate_password(initial_password)
            except ValidationError as error:
                raise CommandError("初始密码不符合要求：" + "；".join(error.messages)) from None
        with tqdm(desc="检查", unit="行", disable=options["verbosity"] == 0) as bar:

            def stage(name: str, total: int) -> None:
                # Checking counts rows; saving is one database transaction, shown as a stage.
                if name == "check":
                    bar.reset(total=total)
                else:
                    bar.set_description("保存")

            try:
                result = officers_import(
                    data=sheet.read_bytes(),
                    filename=sheet.name,
                    initial_password=initial_password,
                    progress=bar.update,
                    stage=stage,
                )
            except ImportRejected as rejected:
                bar.close()
                for error in rejected.errors:
                    self.stderr.write(str(error))
                raise CommandError(f"未导入任何数据：共 {len(rejected.errors)} 处错误。") from None
        self.stdout.write(
            self.style.SUCCESS(
                f"已导入 {result.total} 名民警：新增 {result.created} 名，更新 {result.updated} 名。"
            )
        )
        if result.without_password:
            self.stdout.write(
                self.style.WARNING(
                    f"{result.without_password} 名新民警尚无密码，需管理员设置后才能登录"
                    "（可用 --initial-password-env 给出初始密码）。"
                )
            )
