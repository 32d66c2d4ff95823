from django.core.management.base import BaseCommand

from lessons.services import lecture_hall_ensure


class Command(BaseCommand):
    help = "Create the lecture hall (/lecture-hall/) if missing; give trainers and reviewers their permissions."

    def handle(self, *args, **options):
        hall = lecture_hall_ensure()
        self.stdout.write(self.style.SUCCESS(f"讲堂已就绪：{hall.url}（教官可起草，法制大队审核人审核发布）"))
