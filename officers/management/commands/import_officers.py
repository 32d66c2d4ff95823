from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from officers.services import officers_import
from officers.sheets import ImportRejected


class Command(BaseCommand):
    help = "Import officers from an .xlsx or .csv sheet: all rows or none."

    def add_arguments(self, parser):
        parser.add_argument("sheet", type=Path)

    def handle(self, *args, sheet: Path, **options):
        if not sheet.exists():
            raise CommandError(f"找不到文件：{sheet}")
        with tqdm(desc="检查", unit="行", disable=options["verbosity"] == 0) as bar:
            try:
                result = officers_import(data=sheet.read_bytes(), filename=sheet.name, progress=bar.update)
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
